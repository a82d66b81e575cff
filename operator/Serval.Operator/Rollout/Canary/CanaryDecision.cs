namespace Serval.Operator.Rollout.Canary;

/// <summary>The state machine's answer: the new state to keep in status, the traffic wanted, and what to do.</summary>
/// <param name="State">The rollout's new state, or null when no rollout is running or remembered.</param>
/// <param name="CanaryTrafficPercent">The share of traffic the canary should get, 0 to 100, before readiness is taken into account.</param>
/// <param name="Actions">What the reconciler must do, in order.</param>
/// <param name="RequeueAfter">When to decide again even if nothing changes, or null when only a change can move the rollout.</param>
internal sealed record CanaryDecision(
    CanaryState? State,
    int CanaryTrafficPercent,
    IReadOnlyList<CanaryAction> Actions,
    TimeSpan? RequeueAfter);
