namespace Serval.Worker.Http;

internal partial class InferenceEndpoints
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Inference request failed inside the worker")]
    private static partial void LogInferFault(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client went away before its answer")]
    private static partial void LogClientGone(ILogger logger);
}
