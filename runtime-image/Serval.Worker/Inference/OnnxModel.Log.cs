using Serval.Worker.Cli;

namespace Serval.Worker.Inference;

internal partial class OnnxModel
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Execution provider {Provider} (asked for {Requested})")]
    private static partial void LogProvider(ILogger logger, string provider, ExecutionProviderKind requested);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA is built in but could not start, falling back to the CPU: {Reason}")]
    private static partial void LogCudaFallback(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up inference on zeros failed (the model may need other values): {Reason}")]
    private static partial void LogWarmUpFailed(ILogger logger, string reason);
}
