namespace Serval.Operator.Autoscaling;

internal sealed partial class AutoscalingLoop
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Autoscaler: {Namespace}/{Service} revision {Revision} {From} -> {To} replicas ({Reason})")]
    private static partial void LogDecision(ILogger logger, string @namespace, string service, string revision, int from, int to, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Autoscaler tick failed; retrying at the next one")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
