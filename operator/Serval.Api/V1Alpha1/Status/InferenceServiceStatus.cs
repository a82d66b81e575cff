using System.Text.Json.Serialization;
using k8s.Models;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>What the operator observed. Written only by the operator, through the status subresource.</summary>
public sealed class InferenceServiceStatus
{
    /// <summary>The rollouts <see cref="RolloutHistory"/> keeps.</summary>
    public const int RolloutHistoryLimit = 10;

    /// <summary>The <c>metadata.generation</c> this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>Where clients send requests: the Gateway hostname with traffic.gatewayRef, else the top-level Service's address.</summary>
    [JsonPropertyName("url")]
    public string? Url { get; set; }

    /// <summary>Pods across all revisions.</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    /// <summary>Ready pods across all revisions.</summary>
    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    /// <summary>
    /// Ready, RevisionReady, TrafficReady and RolloutHealthy; each means good when True. Ready is True when the
    /// others are.
    /// </summary>
    [ListType("map", "type")]
    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>The revision serving traffic outside a rollout.</summary>
    [JsonPropertyName("stableRevision")]
    public RevisionStatus? StableRevision { get; set; }

    /// <summary>The new revision while a rollout runs, or the last one rolled back.</summary>
    [JsonPropertyName("canaryRevision")]
    public CanaryRevisionStatus? CanaryRevision { get; set; }

    /// <summary>The last finished rollouts, newest first (at most 10).</summary>
    [ListType("atomic")]
    [MaxItems(RolloutHistoryLimit)]
    [JsonPropertyName("rolloutHistory")]
    public IList<RolloutRecord>? RolloutHistory { get; set; }

    /// <summary>Traffic and latency, as last measured.</summary>
    [JsonPropertyName("metrics")]
    public MetricsStatus? Metrics { get; set; }

    /// <summary>The autoscaler's latest decision.</summary>
    [JsonPropertyName("autoscaling")]
    public AutoscalingStatus? Autoscaling { get; set; }
}
