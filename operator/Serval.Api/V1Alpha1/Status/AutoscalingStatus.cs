using System.Text.Json.Serialization;

namespace Serval.Api.V1Alpha1;

/// <summary>The autoscaler's latest decision.</summary>
public sealed class AutoscalingStatus
{
    /// <summary>The replicas the autoscaler asks for, across revisions, within minReplicas and maxReplicas.</summary>
    [JsonPropertyName("desiredReplicas")]
    public int? DesiredReplicas { get; set; }

    /// <summary>Why, for people (for example "concurrency 9.5 over target 4" or "p95 above SLO").</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>When the desired replicas last changed.</summary>
    [JsonPropertyName("lastScaleTime")]
    public DateTime? LastScaleTime { get; set; }
}
