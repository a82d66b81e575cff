using Serval.Api.V1Alpha1;

namespace Serval.Operator.Rollout;

/// <summary>
/// The built-in part of <c>strategy: Canary</c>: the canary starts at 0 % in phase Progressing, and once ready
/// takes <c>steps[0]</c> (step 1), or the pinned <c>canaryTrafficPercent</c> in phase Paused. Further steps,
/// analysis, promotion and rollback belong to a full canary strategy that replaces this one
/// (<see cref="Hosting.OperatorOptions.CanaryStrategy"/>); this one holds at the first step and looks again every
/// step interval.
/// </summary>
public sealed class CanaryStart : IRolloutStrategy
{
    public RolloutDecision Decide(RolloutContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rollout = context.Spec.Rollout;
        var canary = context.Canary ?? RolloutPlanner.NewCanary(context);
        if (canary.Phase is nameof(CanaryPhase.RolledBack) or nameof(CanaryPhase.Failed))
        {
            // The spec still names the revision that failed: it stays scaled to zero until the spec changes.
            return new RolloutDecision(canary, Promote: false, ScaleCanaryToZero: true, Finished: null, RequeueAfter: null);
        }

        var ready = context.DesiredObservation is { Ready: true };
        if (!ready && (canary.Step ?? 0) == 0)
        {
            canary.Phase = nameof(CanaryPhase.Progressing);
            canary.TrafficPercent = 0;
            canary.Step = 0;
            canary.Message = "waiting for the new revision to become ready";
            return RolloutDecision.Continue(canary);
        }

        if (rollout.CanaryTrafficPercent is { } pinned)
        {
            canary.Phase = nameof(CanaryPhase.Paused);
            canary.TrafficPercent = pinned;
            canary.Message = $"traffic pinned at {pinned}% by rollout.canaryTrafficPercent";
            return RolloutDecision.Continue(canary);
        }

        var interval = TimeSpan.FromSeconds(rollout.StepIntervalSeconds);
        if ((canary.Step ?? 0) == 0 || canary.Phase == nameof(CanaryPhase.Paused))
        {
            canary.Phase = nameof(CanaryPhase.Progressing);
            canary.Step = 1;
            canary.TrafficPercent = rollout.Steps.Count > 0 ? rollout.Steps[0] : 0;
            canary.StepStartedAt = RolloutPlanner.StatusTime(context.Now);
            canary.Message = $"step 1 of {rollout.Steps.Count}: {canary.TrafficPercent}% of traffic";
            return RolloutDecision.Continue(canary, interval);
        }

        var stepStarted = canary.StepStartedAt is { } started ? new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) : context.Now;
        var left = stepStarted + interval - context.Now;
        return RolloutDecision.Continue(canary, left > TimeSpan.Zero ? left : interval);
    }
}
