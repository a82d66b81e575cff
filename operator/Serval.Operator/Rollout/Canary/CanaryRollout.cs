using System.Globalization;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Cache;
using Serval.Operator.Revisions;
using Serval.Operator.Rollout.SmokeTest;

namespace Serval.Operator.Rollout.Canary;

/// <summary>
/// <c>strategy: Canary</c> behind the rollout planner: reads the rollout's state from status, gathers the
/// observation (readiness, the metrics windows, the smoke test), asks the <see cref="CanaryStateMachine"/>, and turns
/// its answer into a <see cref="RolloutDecision"/>: the status to write, the share of traffic, the canary's replicas
/// for a replica-ratio split, and events.
/// </summary>
/// <remarks>
/// Two rules sit here rather than in the state machine because they are about capacity, not analysis: a revision
/// gets its first traffic only once it is ready, and then keeps it while it has ready pods, also while a later step
/// adds pods (the status reports the share it really gets); and a promoted canary takes
/// over only once it has as many ready pods as the stable revision, so promotion never shrinks capacity.
/// </remarks>
internal sealed class CanaryRollout(ICanaryMetrics? metrics, SmokeTestGate? smokeTests) : IRolloutStrategy
{
    private static readonly HashSet<string> StepEvents = new(StringComparer.Ordinal)
    {
        CanaryEventReasons.SmokeTestPassed,
        CanaryEventReasons.StepAdvanced,
        CanaryEventReasons.CheckFailed,
        CanaryEventReasons.RolloutResumed,
        ConditionReasons.RolloutPaused,
    };

    public RolloutDecision Decide(RolloutContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var service = context.Service;
        var key = new ObjectKey(service.Metadata.NamespaceProperty, service.Metadata.Name);
        var rollout = context.Spec.Rollout;
        var canaryName = Revision.NameOf(service.Metadata.Name, context.DesiredRevision);
        var stableHash = context.StableRevision;
        var target = new CanaryTarget(rollout, canaryName, context.Stable.Name);
        var state = CanaryStatus.Read(context.Canary, service.Status?.Conditions);
        var canaryObserved = context.DesiredObservation;
        var stableObserved = context.Revisions.GetValueOrDefault(stableHash);
        // A canary gets its first traffic only once it is ready. After that, a step that adds pods must not take
        // its traffic away while they start: its ready pods keep serving, and the share reported is theirs.
        // A step is judged only once all of its pods are ready, so its checks see the share it asked for.
        var stepInPlace = canaryObserved is { Ready: true };
        var ready = stepInPlace
            || (state is { IsActive: true, HasTraffic: true } && canaryObserved is { ReadyReplicas: > 0 });
        var stableReplicas = Math.Max(1, stableObserved?.Replicas ?? 0);
        var stableReady = stableObserved?.ReadyReplicas ?? 0;
        var canaryReady = canaryObserved?.ReadyReplicas ?? 0;
        var gateway = context.Spec.Traffic is not null;

        // A step whose pods have just all become ready is first reported at the share it now gets, and judged from the
        // next reconcile on: status shows every step's share, not only the one its pods started at.
        if (stepInPlace && state is { IsActive: true, HasTraffic: true }
            && (context.Canary?.TrafficPercent ?? 0) < Share(gateway, CanaryStateMachine.TrafficPercent(rollout, state), true, stableReady, canaryReady))
        {
            stepInPlace = false;
        }

        var observation = new CanaryObservation(stepInPlace);
        if (state is { HasTraffic: true, StepStartedAt: { } since } && metrics is not null)
        {
            observation = observation with
            {
                Canary = metrics.Window(key, context.DesiredRevision, since),
                Stable = metrics.Window(key, stableHash, since),
            };
        }

        var decision = CanaryStateMachine.Decide(target, state, observation, context.Now);
        var events = new List<CanaryAction>(decision.Actions);
        if (decision.Actions.OfType<RunSmokeTest>().Any())
        {
            var result = rollout.SmokeTest is { } test && smokeTests is not null
                ? smokeTests.Poll(key, context.Spec.Model.Name, test, context.DesiredRevision, stableHash)
                : new SmokeTestResult(false, "the operator has no smoke-test runner");
            if (result is not null)
            {
                decision = CanaryStateMachine.Decide(target, decision.State, observation with { SmokeTest = result }, context.Now);
                events.AddRange(decision.Actions);
                smokeTests?.Forget(key);
            }
        }

        var next = decision.State ?? throw new InvalidOperationException(
            $"the canary state machine ended the rollout of {canaryName} although the spec still asks for it");
        var stepEvents = events.OfType<EmitEvent>().Where(e => StepEvents.Contains(e.Reason))
            .Select(e => new RolloutEvent(e.Warning, e.Reason, e.Message)).ToList();

        if (decision.Actions.OfType<PromoteCanary>().Any())
        {
            if (canaryReady >= stableReplicas)
            {
                var promoted = string.Create(CultureInfo.InvariantCulture,
                    $"promoted after {rollout.Steps.Count} steps: {next.LastAnalysis?.Message ?? next.Message}");
                return RolloutDecision.Promoted(Record(canaryName, RolloutOutcome.Promoted, promoted, context.Now)) with { Events = stepEvents };
            }

            // The analysis passed, but the canary serves a share of the traffic with a share of the pods:
            // grow it to the stable revision's size first, at the last step's weight.
            var holding = rollout.Steps.Count == 0 ? 0 : rollout.Steps[^1];
            var message = string.Create(CultureInfo.InvariantCulture,
                $"promoting: scaling {canaryName} to {stableReplicas} ready replicas before it takes all traffic ({canaryReady} ready)");
            var status = CanaryStatus.Write(next with { Message = message }, context.Spec.Model.Uri.Uri, canaryObserved?.Replicas ?? 0, canaryReady,
                Share(gateway, holding, ready, stableReady, canaryReady));
            return new RolloutDecision(status, false, false, null, CanaryStateMachine.PollInterval)
            {
                Events = stepEvents,
                CanaryReplicas = gateway ? null : stableReplicas,
            };
        }

        var finished = events.OfType<RecordRollout>().FirstOrDefault(r => r.Revision == canaryName);
        var terminal = next.Phase is CanaryPhase.RolledBack or CanaryPhase.Failed;
        var wish = decision.CanaryTrafficPercent;
        var canaryStatus = CanaryStatus.Write(next, context.Spec.Model.Uri.Uri, canaryObserved?.Replicas ?? 0, canaryReady,
            terminal ? 0 : Share(gateway, wish, ready, stableReady, canaryReady));
        return new RolloutDecision(
            canaryStatus,
            Promote: false,
            ScaleCanaryToZero: terminal,
            Finished: finished is null ? null : Record(finished.Revision, finished.Outcome, finished.Message, finished.Time),
            RequeueAfter: decision.RequeueAfter)
        {
            Events = stepEvents,
            CanaryReplicas = terminal || gateway
                ? null
                : Math.Max(1, ReplicaSplit.CanaryReplicas(stableReplicas, wish, context.Spec.Autoscaling.MaxReplicas)),
            HealthReason = next.Reason,
        };
    }

    /// <summary>
    /// The share the canary gets: with a Gateway the route weight, exact while it is ready; by replica ratio its
    /// part of the ready pods, and none before it may have traffic.
    /// </summary>
    private static int Share(bool gateway, int wish, bool ready, int stableReady, int canaryReady) =>
        gateway ? ReplicaSplit.RouteWeight(wish, ready) : ready ? ReplicaSplit.AchievedPercent(stableReady, canaryReady, wish) : 0;

    private static RolloutRecord Record(string revision, RolloutOutcome outcome, string message, DateTimeOffset time) => new()
    {
        Revision = revision,
        Outcome = outcome.ToString(),
        Message = message,
        Time = RolloutPlanner.StatusTime(time),
    };
}
