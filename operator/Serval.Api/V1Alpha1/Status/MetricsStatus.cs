using System.Text.Json.Serialization;

namespace Serval.Api.V1Alpha1;

/// <summary>What the workers reported, summed or merged over all ready pods of all revisions.</summary>
public sealed class MetricsStatus
{
    /// <summary>Requests per second.</summary>
    [JsonPropertyName("requestsPerSecond")]
    public double? RequestsPerSecond { get; set; }

    /// <summary>Requests in flight (queued or running).</summary>
    [JsonPropertyName("concurrency")]
    public double? Concurrency { get; set; }

    /// <summary>Median latency, in milliseconds.</summary>
    [JsonPropertyName("latencyP50Milliseconds")]
    public double? LatencyP50Milliseconds { get; set; }

    /// <summary>95th percentile latency, in milliseconds.</summary>
    [JsonPropertyName("latencyP95Milliseconds")]
    public double? LatencyP95Milliseconds { get; set; }

    /// <summary>Share of failed requests, in percent.</summary>
    [JsonPropertyName("errorRatePercent")]
    public double? ErrorRatePercent { get; set; }

    /// <summary>When these figures were measured.</summary>
    [JsonPropertyName("observedAt")]
    public DateTime? ObservedAt { get; set; }
}
