namespace Serval.Operator.Autoscaling;

internal sealed partial class AutoscalingLoop
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Autoscaler: {Namespace}/{Service} revision {Revision} {From} -> {To} replicas ({Reason})")]
    private static partial void LogDecision(ILogger logger, string @namespace, string service, string revision, int from, int to, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Autoscaler tick failed; retrying at the next one")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Autoscaler: scaled Deployment {Namespace}/{Deployment} from {From} to {To} replicas")]
    private static partial void LogScaled(ILogger logger, string @namespace, string deployment, int from, int to);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Autoscaler: Deployment {Namespace}/{Deployment} no longer has {From} replicas; deciding again at the next tick")]
    private static partial void LogScaleStale(ILogger logger, string @namespace, string deployment, int from);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Autoscaler: could not scale Deployment {Namespace}/{Deployment} directly; its HPA applies the decision at its next sync: {Reason}")]
    private static partial void LogScaleFailed(ILogger logger, string @namespace, string deployment, string reason);
}
