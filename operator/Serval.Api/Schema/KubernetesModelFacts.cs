using k8s.Models;

namespace Serval.Api.Schema;

/// <summary>
/// What KubernetesClient's generated models do not say about themselves: which fields the Kubernetes API requires
/// (needed, among others, for the keys of map-type lists) and bounds we add so that CEL rules over these fields
/// have a bounded cost.
/// </summary>
internal static class KubernetesModelFacts
{
    private static readonly Dictionary<Type, string[]> RequiredFields = new()
    {
        [typeof(V1Condition)] = ["status", "type"],
        [typeof(V1TopologySpreadConstraint)] = ["maxSkew", "topologyKey", "whenUnsatisfiable"],
        [typeof(V1NodeSelector)] = ["nodeSelectorTerms"],
        [typeof(V1NodeSelectorRequirement)] = ["key", "operator"],
        [typeof(V1PreferredSchedulingTerm)] = ["preference", "weight"],
        [typeof(V1PodAffinityTerm)] = ["topologyKey"],
        [typeof(V1WeightedPodAffinityTerm)] = ["podAffinityTerm", "weight"],
        [typeof(V1LabelSelectorRequirement)] = ["key", "operator"],
        [typeof(Corev1ResourceClaim)] = ["name"],
    };

    /// <summary>The resource maps the rules iterate over.</summary>
    private const long MaxResources = 32;

    public static bool IsRequired(Type declaringType, string field) =>
        RequiredFields.TryGetValue(declaringType, out var fields) && fields.Contains(field, StringComparer.Ordinal);

    public static long? MaxItems(Type declaringType, string field) =>
        declaringType == typeof(V1ResourceRequirements) && field is "limits" or "requests" ? MaxResources : null;
}
