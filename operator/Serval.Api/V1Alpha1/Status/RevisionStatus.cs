using System.Text.Json.Serialization;

namespace Serval.Api.V1Alpha1;

/// <summary>The stable revision: the one serving all traffic outside a rollout.</summary>
public sealed class RevisionStatus
{
    /// <summary>The revision's name, <c>&lt;inferenceservice&gt;-&lt;hash&gt;</c>; also the name of its Deployment, Service and HorizontalPodAutoscaler.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The model URI this revision serves.</summary>
    [JsonPropertyName("modelUri")]
    public string? ModelUri { get; set; }

    /// <summary>Pods of this revision.</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    /// <summary>Pods of this revision that are ready.</summary>
    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    /// <summary>This revision's share of traffic, in percent.</summary>
    [JsonPropertyName("trafficPercent")]
    public int? TrafficPercent { get; set; }
}
