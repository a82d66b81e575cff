using System.Text.Json.Serialization;

namespace Serval.Api.V1Alpha1;

/// <summary>The latest check of a canary step against <c>rollout.analysis</c>.</summary>
public sealed class AnalysisResult
{
    /// <summary>The canary's share of failed requests over the step, in percent.</summary>
    [JsonPropertyName("errorRatePercent")]
    public double? ErrorRatePercent { get; set; }

    /// <summary>The canary's p95 latency over the step, in milliseconds.</summary>
    [JsonPropertyName("latencyP95Milliseconds")]
    public double? LatencyP95Milliseconds { get; set; }

    /// <summary>The stable revision's p95 latency over the same interval, in milliseconds.</summary>
    [JsonPropertyName("stableLatencyP95Milliseconds")]
    public double? StableLatencyP95Milliseconds { get; set; }

    /// <summary>Requests the canary served over the step.</summary>
    [JsonPropertyName("requests")]
    public long? Requests { get; set; }

    /// <summary>Whether the check passed.</summary>
    [JsonPropertyName("passed")]
    public bool? Passed { get; set; }

    /// <summary>Which limit failed, when one did.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>When the check ran.</summary>
    [JsonPropertyName("checkedAt")]
    public DateTime? CheckedAt { get; set; }
}
