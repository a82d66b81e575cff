namespace Serval.Operator.Rollout.Canary;

/// <summary>What the reconciler saw of the world for one decision.</summary>
/// <param name="CanaryReady">Whether the new revision has all its desired replicas ready.</param>
/// <param name="Canary">The new revision's figures since the current window opened (<see cref="CanaryState.StepStartedAt"/>), or null when none were scraped.</param>
/// <param name="Stable">The stable revision's figures over the same interval, or null.</param>
/// <param name="SmokeTest">The smoke test's result when the reconciler ran it for this decision, else null.</param>
internal sealed record CanaryObservation(
    bool CanaryReady,
    RevisionWindow? Canary = null,
    RevisionWindow? Stable = null,
    SmokeTestResult? SmokeTest = null);
