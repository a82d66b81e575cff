namespace Serval.Worker.Http;

internal partial class InferenceEndpoints
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Client went away before its answer")]
    private static partial void LogClientGone(ILogger logger);
}
