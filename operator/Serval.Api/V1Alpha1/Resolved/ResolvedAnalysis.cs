namespace Serval.Api.V1Alpha1;

/// <summary>The limits a canary step is checked against.</summary>
/// <param name="MaxErrorRatePercent">The highest error rate, in percent.</param>
/// <param name="MaxLatencyP95Milliseconds">The highest p95 latency, in milliseconds.</param>
/// <param name="MaxLatencyP95IncreasePercent">The most the canary's p95 may exceed the stable one's, in percent, or null.</param>
/// <param name="MinRequests">Requests needed before a step is judged.</param>
/// <param name="FailureThreshold">Failed checks in a row that roll back.</param>
public sealed record ResolvedAnalysis(
    double MaxErrorRatePercent,
    int MaxLatencyP95Milliseconds,
    double? MaxLatencyP95IncreasePercent,
    int MinRequests,
    int FailureThreshold);
