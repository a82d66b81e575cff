using Serval.Api.V1Alpha1;

namespace Serval.Operator.Rollout.Canary;

/// <summary>
/// Where a canary rollout stands. Everything here is kept in <c>status.canaryRevision</c>, so an operator that
/// restarts reads it back and resumes at the same step, with the same window and the same failed-check count.
/// </summary>
/// <param name="Revision">The new revision, <c>&lt;isvc&gt;-&lt;hash&gt;</c>.</param>
/// <param name="Phase">Progressing, Paused, Promoted, RolledBack or Failed.</param>
/// <param name="Step">The current step, from 1 into <c>rollout.steps</c>; 0 before the canary has any traffic.</param>
/// <param name="StartedAt">When the rollout started; the progress deadline for readiness counts from here.</param>
/// <param name="StepStartedAt">
/// When the current analysis window opened. Null until the canary gets its first traffic, which is how a restart
/// knows the smoke test has already passed.
/// </param>
/// <param name="FailedChecks">Failed checks in a row.</param>
/// <param name="LastAnalysis">The latest check, or null before the first.</param>
/// <param name="Reason">The reason (a <see cref="ConditionReasons"/> value) for the phase.</param>
/// <param name="Message">Why the rollout is where it is, for people.</param>
internal sealed record CanaryState(
    string Revision,
    CanaryPhase Phase,
    int Step,
    DateTimeOffset StartedAt,
    DateTimeOffset? StepStartedAt,
    int FailedChecks,
    AnalysisVerdict? LastAnalysis,
    string Reason,
    string Message)
{
    /// <summary>Whether the rollout still runs (not promoted, rolled back or failed).</summary>
    public bool IsActive => Phase is CanaryPhase.Progressing or CanaryPhase.Paused;

    /// <summary>Whether the canary has had traffic (the smoke test, if any, passed).</summary>
    public bool HasTraffic => StepStartedAt is not null;
}
