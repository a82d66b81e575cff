using Microsoft.Extensions.Logging;

namespace Serval.Controllers.Cache;

internal static partial class InformerLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Listed {Count} {Kind} at resourceVersion {ResourceVersion} ({Pages} pages, {Vanished} vanished)")]
    public static partial void Listed(ILogger logger, string kind, int count, string resourceVersion, int pages, int vanished);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watch of {Kind} ended ({Reason}); resuming from resourceVersion {ResourceVersion}")]
    public static partial void WatchEnded(ILogger logger, string kind, string reason, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch of {Kind} is too old (410 Gone); relisting")]
    public static partial void Gone(ILogger logger, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch of {Kind} was silent for {Silence}; reconnecting")]
    public static partial void Silent(ILogger logger, string kind, TimeSpan silence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "List/watch of {Kind} failed; retrying in {Delay}")]
    public static partial void Failed(ILogger logger, Exception error, string kind, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "An event handler for {Kind} threw")]
    public static partial void HandlerFailed(ILogger logger, Exception error, string kind);
}
