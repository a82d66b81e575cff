namespace Serval.Api.V1Alpha1;

/// <summary>Replica bounds and the signal to scale on.</summary>
/// <param name="MinReplicas">The fewest replicas.</param>
/// <param name="MaxReplicas">The most replicas.</param>
/// <param name="Metric">What to keep at the target.</param>
/// <param name="Target">The per-replica target (unused with Latency).</param>
/// <param name="LatencySloMilliseconds">The p95 objective in milliseconds, or null for none.</param>
/// <param name="ScaleDownDelaySeconds">How long a lower desired count must last before scaling down.</param>
public sealed record ResolvedAutoscaling(
    int MinReplicas,
    int MaxReplicas,
    AutoscalingMetric Metric,
    int Target,
    int? LatencySloMilliseconds,
    int ScaleDownDelaySeconds);
