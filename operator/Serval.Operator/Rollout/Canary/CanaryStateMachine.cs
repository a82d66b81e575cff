using System.Globalization;
using Serval.Api.V1Alpha1;

namespace Serval.Operator.Rollout.Canary;

/// <summary>
/// The canary rollout as a pure function of (state, observation, now) to (state, actions). The reconciler keeps
/// the state in status and carries out the actions; nothing here does I/O.
/// </summary>
/// <remarks>
/// <para>A rollout goes: new revision starting (step 0, no traffic) → smoke test, when configured, once it is
/// ready → step 1..n, each held stepIntervalSeconds and then judged → promoted after the last step passes. A check
/// that fails failureThreshold times in a row rolls back; a revision not ready, or a step that cannot gather
/// minRequests, within progressDeadlineSeconds fails. Rolled-back and failed revisions stay so (scaled to zero)
/// until the spec changes: Git still holds their spec, and retrying the same revision would fail the same way.</para>
/// <para>Supersede rule: a spec that makes another revision while a rollout runs ends that rollout at once
/// (history outcome Superseded, its revision removed, its traffic back to stable) and starts the new revision's
/// rollout from step 0 against the same stable revision; the abandoned canary is never promoted, even if it was
/// at its last step. A spec that goes back to the stable revision ends the rollout the same way and starts none.</para>
/// <para><c>canaryTrafficPercent</c> pins the split: 1 to 100 pauses at that share (after the smoke test; no checks,
/// no promotion, no rollback); removing it resumes at the step where the rollout was, with a fresh window;
/// 0 rolls the canary back.</para>
/// </remarks>
internal sealed class CanaryStateMachine(TimeProvider clock)
{
    /// <summary>How often to look again while waiting for readiness or requests.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    /// <summary>Decides the next state and actions.</summary>
    public CanaryDecision Decide(CanaryTarget target, CanaryState? state, CanaryObservation observation) =>
        Decide(target, state, observation, clock.GetUtcNow());

    /// <summary>Decides the next state and actions at a given time.</summary>
    public static CanaryDecision Decide(CanaryTarget target, CanaryState? state, CanaryObservation observation, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(observation);
        var now = WholeSeconds(time);
        var actions = new List<CanaryAction>();

        if (target.StableRevision is null || target.DesiredRevision == target.StableRevision)
        {
            EndWithoutSuccessor(state, target, actions, now);
            return new CanaryDecision(null, 0, actions, null);
        }

        if (state is null || state.Revision != target.DesiredRevision)
        {
            EndWithoutSuccessor(state, target, actions, now);
            var started = string.Create(CultureInfo.InvariantCulture,
                $"rollout of {target.DesiredRevision} started; stable {target.StableRevision} keeps all traffic until it is ready");
            state = new CanaryState(target.DesiredRevision, CanaryPhase.Progressing, 0, now, null, 0, null,
                ConditionReasons.RolloutProgressing, started);
            actions.Add(new EmitEvent(false, CanaryEventReasons.RolloutStarted, started));
        }

        return state.Phase switch
        {
            CanaryPhase.Promoted => Done(state, 100, actions, new PromoteCanary(state.Revision, target.StableRevision)),
            CanaryPhase.RolledBack or CanaryPhase.Failed => Done(state, 0, actions, new ScaleToZero(state.Revision)),
            _ => Advance(target, state, observation, actions, now),
        };
    }

    /// <summary>The share of traffic a state asks for.</summary>
    public static int TrafficPercent(ResolvedRollout rollout, CanaryState state)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(state);
        return state.Phase switch
        {
            CanaryPhase.Promoted => 100,
            CanaryPhase.RolledBack or CanaryPhase.Failed => 0,
            _ when !state.HasTraffic => 0,
            CanaryPhase.Paused => rollout.CanaryTrafficPercent ?? StepPercent(rollout, state.Step),
            _ => StepPercent(rollout, state.Step),
        };
    }

    private static CanaryDecision Done(CanaryState state, int traffic, List<CanaryAction> actions, CanaryAction action)
    {
        actions.Add(action);
        return new CanaryDecision(state, traffic, actions, null);
    }

    private static void EndWithoutSuccessor(CanaryState? state, CanaryTarget target, List<CanaryAction> actions, DateTimeOffset now)
    {
        if (state is null || state.Revision == target.StableRevision)
        {
            return;
        }

        if (state.IsActive)
        {
            var message = target.DesiredRevision == target.StableRevision
                ? $"rollout of {state.Revision} ended: the spec went back to the stable revision {target.StableRevision}"
                : $"rollout of {state.Revision} superseded by {target.DesiredRevision} at step {state.Step}";
            actions.Add(new RecordRollout(state.Revision, RolloutOutcome.Superseded, message, now));
            actions.Add(new EmitEvent(false, CanaryEventReasons.Superseded, message));
        }

        actions.Add(new RemoveRevision(state.Revision));
    }

    private static CanaryDecision Advance(CanaryTarget target, CanaryState state, CanaryObservation observation, List<CanaryAction> actions, DateTimeOffset now)
    {
        var rollout = target.Rollout;
        var deadline = TimeSpan.FromSeconds(rollout.ProgressDeadlineSeconds);

        if (rollout.CanaryTrafficPercent == 0)
        {
            return Finish(state, actions, now, CanaryPhase.RolledBack, RolloutOutcome.RolledBack, ConditionReasons.ManualRollback,
                $"rolled back by canaryTrafficPercent 0 at step {state.Step}; stable {target.StableRevision} takes all traffic", warning: false);
        }

        if (!state.HasTraffic)
        {
            if (!observation.CanaryReady)
            {
                var waited = now - state.StartedAt;
                if (waited >= deadline)
                {
                    return Finish(state, actions, now, CanaryPhase.Failed, RolloutOutcome.Failed, ConditionReasons.ProgressDeadlineExceeded,
                        $"{state.Revision} was not ready within {Seconds(deadline)} s; stable {target.StableRevision} keeps all traffic", warning: true);
                }

                return new CanaryDecision(state, 0, actions, Min(PollInterval, deadline - waited));
            }

            if (rollout.SmokeTest is not null)
            {
                if (observation.SmokeTest is null)
                {
                    actions.Add(new RunSmokeTest(state.Revision));
                    return new CanaryDecision(state, 0, actions, PollInterval);
                }

                if (!observation.SmokeTest.Passed)
                {
                    return Finish(state, actions, now, CanaryPhase.Failed, RolloutOutcome.RolledBack, ConditionReasons.SmokeTestFailed,
                        $"smoke test failed: {observation.SmokeTest.Message}", warning: true);
                }

                actions.Add(new EmitEvent(false, CanaryEventReasons.SmokeTestPassed, observation.SmokeTest.Message));
            }

            return rollout.CanaryTrafficPercent is { } pin
                ? Pause(rollout, state with { StepStartedAt = now }, pin, actions)
                : EnterStep(rollout, state with { StepStartedAt = now }, 1, now, actions, null);
        }

        if (rollout.CanaryTrafficPercent is { } pinned)
        {
            return Pause(rollout, state, pinned, actions);
        }

        if (state.Phase == CanaryPhase.Paused)
        {
            var step = Math.Max(state.Step, 1);
            var resumed = $"pin removed; resuming at step {step} of {rollout.Steps.Count} ({StepPercent(rollout, step)} %)";
            actions.Add(new EmitEvent(false, CanaryEventReasons.RolloutResumed, resumed));
            return EnterStep(rollout, state with { Phase = CanaryPhase.Progressing }, step, now, actions, resumed);
        }

        return Judge(target, state, observation, actions, now);
    }

    private static CanaryDecision Judge(CanaryTarget target, CanaryState state, CanaryObservation observation, List<CanaryAction> actions, DateTimeOffset now)
    {
        var rollout = target.Rollout;
        var interval = TimeSpan.FromSeconds(rollout.StepIntervalSeconds);
        var step = Math.Min(state.Step, rollout.Steps.Count);
        var traffic = StepPercent(rollout, step);
        var elapsed = now - state.StepStartedAt!.Value;
        if (elapsed < interval)
        {
            return new CanaryDecision(state, traffic, actions, interval - elapsed);
        }

        var verdict = observation.CanaryReady
            ? CanaryAnalysis.Judge(rollout.Analysis, observation.Canary, observation.Stable, now)
            : new AnalysisVerdict(AnalysisVerdictKind.Inconclusive, null, null, null, 0, $"{state.Revision} is not ready", now);
        switch (verdict.Kind)
        {
            case AnalysisVerdictKind.Inconclusive:
                var limit = Max(interval, TimeSpan.FromSeconds(rollout.ProgressDeadlineSeconds));
                if (elapsed >= limit)
                {
                    return Finish(state with { LastAnalysis = verdict }, actions, now, CanaryPhase.Failed, RolloutOutcome.Failed,
                        ConditionReasons.ProgressDeadlineExceeded,
                        $"step {step} made no progress within {Seconds(limit)} s: {verdict.Message}", warning: true);
                }

                return new CanaryDecision(
                    state with { LastAnalysis = verdict, Message = $"step {step} of {rollout.Steps.Count} ({traffic} %) waiting: {verdict.Message}" },
                    traffic, actions, Min(PollInterval, limit - elapsed));

            case AnalysisVerdictKind.Failed:
                var failed = state.FailedChecks + 1;
                var threshold = rollout.Analysis.FailureThreshold;
                if (failed >= threshold)
                {
                    return Finish(state with { LastAnalysis = verdict, FailedChecks = failed }, actions, now, CanaryPhase.RolledBack,
                        RolloutOutcome.RolledBack, ConditionReasons.AnalysisFailed,
                        $"rolled back at step {step} ({traffic} %) after {failed} failed checks: {verdict.Message}", warning: true);
                }

                var check = $"check {failed} of {threshold} failed at step {step} ({traffic} %): {verdict.Message}";
                actions.Add(new EmitEvent(true, CanaryEventReasons.CheckFailed, check));
                return new CanaryDecision(
                    state with { LastAnalysis = verdict, FailedChecks = failed, StepStartedAt = now, Message = check },
                    traffic, actions, interval);

            default:
                var passed = state with { LastAnalysis = verdict, FailedChecks = 0 };
                if (step >= rollout.Steps.Count)
                {
                    var promoted = $"promoted after {rollout.Steps.Count} steps: {verdict.Message}";
                    actions.Add(new PromoteCanary(state.Revision, target.StableRevision!));
                    actions.Add(new RecordRollout(state.Revision, RolloutOutcome.Promoted, promoted, now));
                    actions.Add(new EmitEvent(false, ConditionReasons.Promoted, promoted));
                    return new CanaryDecision(
                        passed with { Phase = CanaryPhase.Promoted, Reason = ConditionReasons.Promoted, Message = promoted },
                        100, actions, null);
                }

                return EnterStep(rollout, passed, step + 1, now, actions, null, verdict.Message);
        }
    }

    private static CanaryDecision EnterStep(ResolvedRollout rollout, CanaryState state, int step, DateTimeOffset now,
        List<CanaryAction> actions, string? message, string? because = null)
    {
        var traffic = StepPercent(rollout, step);
        if (message is null)
        {
            message = $"step {step} of {rollout.Steps.Count}: {traffic} % of traffic to {state.Revision}";
            actions.Add(new EmitEvent(false, CanaryEventReasons.StepAdvanced, because is null ? message : $"{message} ({because})"));
        }

        var next = state with
        {
            Phase = CanaryPhase.Progressing,
            Step = step,
            StepStartedAt = now,
            FailedChecks = 0,
            Reason = ConditionReasons.RolloutProgressing,
            Message = message,
        };
        return new CanaryDecision(next, traffic, actions, TimeSpan.FromSeconds(rollout.StepIntervalSeconds));
    }

    private static CanaryDecision Pause(ResolvedRollout rollout, CanaryState state, int pin, List<CanaryAction> actions)
    {
        var message = $"paused by canaryTrafficPercent: {pin} % of traffic to {state.Revision}";
        if (state.Phase != CanaryPhase.Paused || state.Message != message)
        {
            actions.Add(new EmitEvent(false, ConditionReasons.RolloutPaused, message));
        }

        var paused = state with { Phase = CanaryPhase.Paused, FailedChecks = 0, Reason = ConditionReasons.RolloutPaused, Message = message };
        return new CanaryDecision(paused, TrafficPercent(rollout, paused), actions, null);
    }

    private static CanaryDecision Finish(CanaryState state, List<CanaryAction> actions, DateTimeOffset now, CanaryPhase phase,
        RolloutOutcome outcome, string reason, string message, bool warning)
    {
        actions.Add(new ScaleToZero(state.Revision));
        actions.Add(new RecordRollout(state.Revision, outcome, message, now));
        actions.Add(new EmitEvent(warning, reason, message));
        return new CanaryDecision(state with { Phase = phase, Reason = reason, Message = message }, 0, actions, null);
    }

    private static int StepPercent(ResolvedRollout rollout, int step) =>
        step <= 0 ? 0 : rollout.Steps[Math.Min(step, rollout.Steps.Count) - 1];

    /// <summary>
    /// Times go to status as RFC 3339 to the second; deciding on whole seconds makes a state read back from status
    /// equal to the one written, so an unchanged rollout writes nothing.
    /// </summary>
    private static DateTimeOffset WholeSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
