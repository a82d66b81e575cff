using Microsoft.Extensions.Logging;

namespace Serval.Controllers.Hosting;

internal static partial class ControllerHostLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Serving /healthz, /readyz and /metrics on {Address}")]
    public static partial void Serving(ILogger logger, Uri address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Caches of {Count} kinds synced")]
    public static partial void Synced(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: finishing in-flight reconciles")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Controller {Controller} failed")]
    public static partial void ControllerFailed(ILogger logger, Exception error, string controller);

    [LoggerMessage(Level = LogLevel.Error, Message = "Informer for {Kind} failed")]
    public static partial void InformerFailed(ILogger logger, Exception error, string kind);
}
