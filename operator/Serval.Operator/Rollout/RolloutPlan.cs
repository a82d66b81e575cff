using Serval.Api.V1Alpha1;
using Serval.Operator.Networking;

namespace Serval.Operator.Rollout;

/// <summary>
/// What the planner decided for one reconcile: the revisions that exist, the traffic split, and the
/// revision-related status fields.
/// </summary>
/// <param name="Traffic">Stable and canary hashes and the canary's share.</param>
/// <param name="Wanted">Hashes of the revisions whose children stay; every other revision's children are deleted.</param>
/// <param name="DesiredScaledToZero">True when the desired revision keeps its Deployment at zero replicas, without HPA and PDB.</param>
/// <param name="Stable">The new status.stableRevision (replica counts are filled in by the status builder).</param>
/// <param name="Canary">The new status.canaryRevision, or null.</param>
/// <param name="History">The new status.rolloutHistory, newest first.</param>
/// <param name="Finished">The rollout that finished in this reconcile, if any (for events).</param>
/// <param name="RequeueAfter">When to look again without a change in the cluster, or null.</param>
public sealed record RolloutPlan(
    TrafficSplit Traffic,
    IReadOnlySet<string> Wanted,
    bool DesiredScaledToZero,
    RevisionStatus Stable,
    CanaryRevisionStatus? Canary,
    IList<RolloutRecord>? History,
    RolloutRecord? Finished,
    TimeSpan? RequeueAfter)
{
    /// <summary>Events the strategy asked for.</summary>
    public IReadOnlyList<RolloutEvent> Events { get; init; } = [];

    /// <summary>The desired revision's replicas when the strategy sets them, else null (its HPA decides).</summary>
    public int? CanaryReplicas { get; init; }

    /// <summary>The RolloutHealthy reason the strategy gave for the canary's phase, or null to derive it from the phase.</summary>
    public string? HealthReason { get; init; }
}
