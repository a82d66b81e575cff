namespace Serval.Worker.Batching;

internal partial class InferenceScheduler
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Executor fault")]
    private static partial void LogExecutorFault(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped a queued request whose client went away or timed out")]
    private static partial void LogDropped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inference failed: {Reason}")]
    private static partial void LogRunFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} requests failed ({Reason}); running them one by one")]
    private static partial void LogBatchFallback(ILogger logger, int count, string reason);
}
