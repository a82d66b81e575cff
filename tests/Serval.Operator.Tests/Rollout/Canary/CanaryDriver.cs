using Microsoft.Extensions.Time.Testing;
using Serval.Api.V1Alpha1;
using Serval.Operator.Rollout.Canary;

namespace Serval.Operator.Tests.Rollout.Canary;

/// <summary>Runs the state machine as the reconciler would: keeps the state, applies promotion, advances a fake clock.</summary>
internal sealed class CanaryDriver
{
    private readonly CanaryStateMachine _machine;

    public CanaryDriver(ResolvedRollout rollout, string desired = CanaryRollouts.CanaryRev, string? stable = CanaryRollouts.StableRev)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 4, 0, 0, TimeSpan.Zero));
        _machine = new CanaryStateMachine(Clock);
        Target = new CanaryTarget(rollout, desired, stable);
    }

    public FakeTimeProvider Clock { get; }

    public CanaryTarget Target { get; set; }

    public CanaryState? State { get; set; }

    public List<CanaryAction> AllActions { get; } = [];

    public CanaryDecision Decide(CanaryObservation observation)
    {
        var decision = _machine.Decide(Target, State, observation);
        State = decision.State;
        AllActions.AddRange(decision.Actions);
        if (decision.Actions.OfType<PromoteCanary>().FirstOrDefault() is { } promote)
        {
            Target = Target with { StableRevision = promote.Revision };
        }

        return decision;
    }

    public CanaryDecision Ready(RevisionWindow? canary = null, RevisionWindow? stable = null, SmokeTestResult? smoke = null) =>
        Decide(new CanaryObservation(true, canary, stable, smoke));

    public void Advance(int seconds) => Clock.Advance(TimeSpan.FromSeconds(seconds));

    /// <summary>Starts the rollout and brings the canary to step 1.</summary>
    public CanaryDecision StartAtStepOne()
    {
        Decide(new CanaryObservation(false));
        return Ready();
    }
}
