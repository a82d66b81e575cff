namespace Serval.Worker;

public partial class WorkerHost
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Loading model {Name} from {Path}")]
    private static partial void LogLoading(ILogger logger, string name, string path);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Model {Name} ready on {Provider} (batch up to {MaxBatch} rows), loaded in {Seconds:0.000} s, warm-up {WarmUpMs:0.0} ms, serving at {Address}")]
    private static partial void LogReady(ILogger logger, string name, string provider, int maxBatch, double seconds, double warmUpMs, Uri address);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot serve the model: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Name} stopped")]
    private static partial void LogStopped(ILogger logger, string name);
}
