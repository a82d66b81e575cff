using Serval.Api.V1Alpha1;

namespace Serval.Operator.Rollout;

/// <summary>
/// A strategy's answer for one reconcile.
/// </summary>
/// <param name="Canary">
/// The canary's new status (phase, step, trafficPercent, times, analysis), or null when the rollout ended with
/// <see cref="Promote"/>. Its <c>trafficPercent</c> is the share the canary gets now (0..100).
/// </param>
/// <param name="Promote">True: the desired revision becomes stable and takes all traffic; the old stable revision is removed.</param>
/// <param name="ScaleCanaryToZero">True: the canary keeps its Deployment with zero replicas and no HPA (rolled back or failed).</param>
/// <param name="Finished">A finished rollout to record in the history (promoted, rolled back, failed), or null.</param>
/// <param name="RequeueAfter">When to look again without any change in the cluster (the next step or check), or null.</param>
public sealed record RolloutDecision(
    CanaryRevisionStatus? Canary,
    bool Promote,
    bool ScaleCanaryToZero,
    RolloutRecord? Finished,
    TimeSpan? RequeueAfter)
{
    /// <summary>Events to record for steps within the rollout (a step moved, a check failed, the smoke test passed).</summary>
    public IReadOnlyList<RolloutEvent> Events { get; init; } = [];

    /// <summary>
    /// The canary's replicas when the strategy sets them (replica-ratio split, or scaling up before promotion); null
    /// leaves them to the revision's HorizontalPodAutoscaler.
    /// </summary>
    public int? CanaryReplicas { get; init; }

    /// <summary>The RolloutHealthy reason for the canary's phase, when the phase alone does not say it (e.g. SmokeTestFailed).</summary>
    public string? HealthReason { get; init; }

    /// <summary>The desired revision took over.</summary>
    public static RolloutDecision Promoted(RolloutRecord record) => new(null, true, false, record, null);

    /// <summary>The rollout goes on with <paramref name="canary"/>.</summary>
    public static RolloutDecision Continue(CanaryRevisionStatus canary, TimeSpan? requeueAfter = null) => new(canary, false, false, null, requeueAfter);
}
