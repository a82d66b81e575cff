namespace Serval.Operator.Rollout;

/// <summary>
/// Decides how a rollout moves: asked on every reconcile while the spec's revision differs from the stable one.
/// </summary>
/// <remarks>
/// Contract:
/// <list type="bullet">
/// <item>Pure: the answer depends only on the <see cref="RolloutContext"/> (time from <see cref="RolloutContext.Now"/>,
/// measurements from <see cref="RolloutContext.RevisionMetrics"/>); no I/O, no clock, no randomness.</item>
/// <item>Resumable: everything it needs to continue after an operator restart is in the canary status it returns
/// (step, startedAt, stepStartedAt, failedChecks, lastAnalysis); the status is written back and passed in next time.</item>
/// <item>A null <see cref="RolloutContext.Canary"/> means the rollout starts now.</item>
/// <item>Time-driven progress asks for <see cref="RolloutDecision.RequeueAfter"/>; it reaches the reconcile result,
/// so the service is looked at again then even when nothing in the cluster changes.</item>
/// <item>Returning <see cref="RolloutDecision.Promote"/> makes the desired revision stable; returning a canary in phase
/// RolledBack or Failed with <see cref="RolloutDecision.ScaleCanaryToZero"/> keeps the stable revision serving. The
/// planner writes <see cref="RolloutDecision.Finished"/> to the rollout history.</item>
/// </list>
/// </remarks>
public interface IRolloutStrategy
{
    RolloutDecision Decide(RolloutContext context);
}
