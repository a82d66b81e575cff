using k8s.Models;

namespace Serval.Api.V1Alpha1;

/// <summary>Placement, copied into each revision's pod template.</summary>
/// <param name="NodeSelector">Node labels required (empty when none).</param>
/// <param name="Tolerations">Tolerations as written (empty when none).</param>
/// <param name="Affinity">Affinity as written, or null.</param>
/// <param name="PriorityClassName">The PriorityClass, or null.</param>
/// <param name="RuntimeClassName">The RuntimeClass, or null.</param>
/// <param name="TopologySpread">Topology spread constraints as written (empty when none).</param>
/// <param name="Spot">Whether spot nodes are allowed.</param>
public sealed record ResolvedScheduling(
    IReadOnlyDictionary<string, string> NodeSelector,
    IReadOnlyList<V1Toleration> Tolerations,
    V1Affinity? Affinity,
    string? PriorityClassName,
    string? RuntimeClassName,
    IReadOnlyList<V1TopologySpreadConstraint> TopologySpread,
    bool Spot);
