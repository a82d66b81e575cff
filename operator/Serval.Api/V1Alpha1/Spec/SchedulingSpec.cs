using System.Text.Json.Serialization;
using k8s.Models;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>Where the pods may run. Every field is copied into each revision's pod template.</summary>
public sealed class SchedulingSpec
{
    /// <summary>Node labels a node must carry (added to those <c>accelerator</c> implies).</summary>
    [MaxItems(64)]
    [JsonPropertyName("nodeSelector")]
    public IDictionary<string, string>? NodeSelector { get; set; }

    /// <summary>Taints the pods tolerate, e.g. <c>nvidia.com/gpu</c> on dedicated GPU nodes.</summary>
    [ListType("atomic")]
    [MaxItems(64)]
    [JsonPropertyName("tolerations")]
    public IList<V1Toleration>? Tolerations { get; set; }

    /// <summary>Node and pod affinity, as in a pod spec.</summary>
    [JsonPropertyName("affinity")]
    public V1Affinity? Affinity { get; set; }

    /// <summary>The PriorityClass of the pods.</summary>
    [MaxLength(253)]
    [Pattern(Patterns.DnsSubdomain)]
    [JsonPropertyName("priorityClassName")]
    public string? PriorityClassName { get; set; }

    /// <summary>The RuntimeClass of the pods, e.g. <c>nvidia</c> where the NVIDIA container runtime is not the default.</summary>
    [MaxLength(253)]
    [Pattern(Patterns.DnsSubdomain)]
    [JsonPropertyName("runtimeClassName")]
    public string? RuntimeClassName { get; set; }

    /// <summary>
    /// How the pods spread over zones or nodes. The label selector may be left out: the operator fills in the
    /// revision's own pod labels.
    /// </summary>
    [ListType("map", "topologyKey", "whenUnsatisfiable")]
    [MaxItems(8)]
    [JsonPropertyName("topologySpread")]
    public IList<V1TopologySpreadConstraint>? TopologySpread { get; set; }

    /// <summary>
    /// Whether the pods may run on spot (preemptible) nodes. When true they tolerate the common spot-node taints of
    /// GKE, AKS and Karpenter and prefer such nodes; when false no spot toleration is added.
    /// </summary>
    [Default(InferenceServiceDefaults.Spot)]
    [JsonPropertyName("spot")]
    public bool? Spot { get; set; }
}
