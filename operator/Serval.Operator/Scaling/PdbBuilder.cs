using k8s.Models;
using Serval.Operator.Revisions;

namespace Serval.Operator.Scaling;

/// <summary>
/// The PodDisruptionBudget of one revision: at most one pod evicted at a time. Built only when it protects
/// something: more than one replica may run, or the pods are on spot nodes.
/// </summary>
public static class PdbBuilder
{
    /// <summary>True when the revision gets a PDB.</summary>
    public static bool Wanted(Revision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return revision.Spec.Autoscaling.MaxReplicas > 1 || revision.Spec.Scheduling.Spot;
    }

    public static V1PodDisruptionBudget Build(Revision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = revision.ChildMetadata(),
            Spec = new V1PodDisruptionBudgetSpec
            {
                MaxUnavailable = 1,
                Selector = new V1LabelSelector { MatchLabels = revision.Labels() },
            },
        };
    }
}
