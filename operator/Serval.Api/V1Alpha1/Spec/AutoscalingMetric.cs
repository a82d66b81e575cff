namespace Serval.Api.V1Alpha1;

/// <summary>What the autoscaler keeps at the target, per replica.</summary>
public enum AutoscalingMetric
{
    /// <summary>Requests in flight (queued or running) per replica.</summary>
    Concurrency,

    /// <summary>Requests per second per replica.</summary>
    RequestsPerSecond,

    /// <summary>p95 latency, kept under <c>latencySloMilliseconds</c>.</summary>
    Latency,

    /// <summary>CPU utilisation, percent of the CPU request, through a plain resource-metric HorizontalPodAutoscaler.</summary>
    Cpu,
}
