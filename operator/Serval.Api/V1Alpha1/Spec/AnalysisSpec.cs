using System.Text.Json.Serialization;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>
/// What a canary step must show before traffic moves on. At the end of each step, once the canary has served
/// minRequests, its error rate and p95 latency over the step are checked against these limits; after
/// failureThreshold failed checks in a row the rollout is rolled back.
/// </summary>
public sealed class AnalysisSpec
{
    /// <summary>The highest share of failed requests (HTTP 5xx), in percent.</summary>
    [Minimum(0)]
    [Maximum(100)]
    [Default(InferenceServiceDefaults.MaxErrorRatePercent)]
    [JsonPropertyName("maxErrorRatePercent")]
    public double? MaxErrorRatePercent { get; set; }

    /// <summary>The highest p95 latency, in milliseconds.</summary>
    [Minimum(1)]
    [Maximum(600_000)]
    [Default(InferenceServiceDefaults.MaxLatencyP95Milliseconds)]
    [JsonPropertyName("maxLatencyP95Milliseconds")]
    public int? MaxLatencyP95Milliseconds { get; set; }

    /// <summary>
    /// The most the canary's p95 latency may exceed the stable revision's over the same interval, in percent
    /// (50 allows 1.5 times). Absent: only maxLatencyP95Milliseconds applies.
    /// </summary>
    [Minimum(0)]
    [Maximum(10_000)]
    [JsonPropertyName("maxLatencyP95IncreasePercent")]
    public double? MaxLatencyP95IncreasePercent { get; set; }

    /// <summary>The fewest requests the canary must serve in a step before the step is judged; until then it waits.</summary>
    [Minimum(0)]
    [Maximum(1_000_000_000)]
    [Default(InferenceServiceDefaults.MinRequests)]
    [JsonPropertyName("minRequests")]
    public int? MinRequests { get; set; }

    /// <summary>How many failed checks in a row roll the canary back.</summary>
    [Minimum(1)]
    [Maximum(100)]
    [Default(InferenceServiceDefaults.FailureThreshold)]
    [JsonPropertyName("failureThreshold")]
    public int? FailureThreshold { get; set; }
}
