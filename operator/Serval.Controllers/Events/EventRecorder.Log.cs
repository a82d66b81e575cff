using Microsoft.Extensions.Logging;

namespace Serval.Controllers.Events;

internal static partial class EventRecorderLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record event {Reason} for {Kind} {Namespace}/{Name}")]
    public static partial void Failed(ILogger logger, Exception error, string reason, string kind, string @namespace, string name);
}
