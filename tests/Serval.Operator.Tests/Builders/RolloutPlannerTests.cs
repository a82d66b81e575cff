using Serval.Api.V1Alpha1;
using Serval.Operator.Revisions;
using Serval.Operator.Rollout;

namespace Serval.Operator.Tests.Builders;

public sealed class RolloutPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private readonly RolloutPlanner _planner = new();

    private static Dictionary<string, RevisionObservation> Observed(params (string Hash, bool Ready)[] revisions) =>
        revisions.ToDictionary(r => r.Hash, r => new RevisionObservation(r.Hash, 1, r.Ready ? 1 : 0, r.Ready));

    private RolloutPlan Plan(InferenceService service, Dictionary<string, RevisionObservation> observed)
    {
        var spec = service.Resolve();
        return _planner.Plan(service, spec, RevisionHash.Of(spec), observed, new Dictionary<string, MetricsStatus>(), Now);
    }

    private static InferenceService WithStable(InferenceService service, string hash, CanaryRevisionStatus? canary = null)
    {
        service.Status = new InferenceServiceStatus { StableRevision = new RevisionStatus { Name = $"mlp-{hash}", TrafficPercent = 100 }, CanaryRevision = canary };
        return service;
    }

    [Test]
    public void FirstRevision_IsStableAtOnceWithAllTraffic()
    {
        var service = Specs.Service();
        var plan = Plan(service, Observed());
        var hash = RevisionHash.Of(service.Resolve());

        Assert.That((plan.Traffic.Stable, plan.Traffic.Canary, plan.Stable.Name, plan.Canary), Is.EqualTo((hash, (string?)null, $"mlp-{hash}", (CanaryRevisionStatus?)null)));
    }

    [Test]
    public void Immediate_NewRevisionNotReady_OldKeepsAllTraffic()
    {
        var service = WithStable(Specs.Service(s => s.Rollout = new RolloutSpec { Strategy = "Immediate" }), "old");
        var plan = Plan(service, Observed(("old", true)));

        Assert.That(plan.Traffic.Stable, Is.EqualTo("old"));
        Assert.That(plan.Traffic.CanaryPercent, Is.Zero);
        Assert.That(plan.Wanted, Has.Count.EqualTo(2));
        Assert.That(plan.Canary!.Phase, Is.EqualTo("Progressing"));
    }

    [Test]
    public void Immediate_NewRevisionReady_IsPromotedAndTheOldOneRetired()
    {
        var service = WithStable(Specs.Service(s => s.Rollout = new RolloutSpec { Strategy = "Immediate" }), "old");
        var hash = RevisionHash.Of(service.Resolve());
        var plan = Plan(service, Observed(("old", true), (hash, true)));

        Assert.That(plan.Traffic.Stable, Is.EqualTo(hash));
        Assert.That(plan.Wanted, Is.EquivalentTo(new[] { hash }));
        Assert.That(plan.History![0].Outcome, Is.EqualTo("Promoted"));
        Assert.That(plan.History[0].Time, Is.EqualTo(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)), "status times are whole seconds");
    }

    [Test]
    public void Canary_StartsAtZeroAndProgressing()
    {
        var service = WithStable(Specs.Service(), "old");
        var plan = Plan(service, Observed(("old", true)));

        Assert.That((plan.Canary!.Phase, plan.Canary.Step, plan.Canary.TrafficPercent), Is.EqualTo(("Progressing", (int?)0, (int?)0)));
        Assert.That(plan.RequeueAfter, Is.Null);
    }

    [Test]
    public void Canary_OnceReady_TakesTheFirstStepAndAsksToBeLookedAtAfterTheInterval()
    {
        var service = Specs.Service(s => s.Rollout = new RolloutSpec { Steps = [10, 50], StepIntervalSeconds = 30 });
        var hash = RevisionHash.Of(service.Resolve());
        WithStable(service, "old", new CanaryRevisionStatus { Name = $"mlp-{hash}", Phase = "Progressing", Step = 0, TrafficPercent = 0 });
        var plan = Plan(service, Observed(("old", true), (hash, true)));

        Assert.That((plan.Canary!.Step, plan.Canary.TrafficPercent, plan.Traffic.CanaryPercent), Is.EqualTo(((int?)1, (int?)10, 10)));
        Assert.That(plan.Stable.TrafficPercent, Is.EqualTo(90));
        Assert.That(plan.RequeueAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void Canary_Pinned_IsPausedAtThePinnedPercent()
    {
        var service = Specs.Service(s => s.Rollout = new RolloutSpec { CanaryTrafficPercent = 20 });
        var hash = RevisionHash.Of(service.Resolve());
        WithStable(service, "old", new CanaryRevisionStatus { Name = $"mlp-{hash}", Phase = "Progressing", Step = 0, TrafficPercent = 0 });
        var plan = Plan(service, Observed(("old", true), (hash, true)));

        Assert.That((plan.Canary!.Phase, plan.Traffic.CanaryPercent), Is.EqualTo(("Paused", 20)));
    }

    [Test]
    public void NewerSpecDuringARollout_SupersedesTheRunningCanary()
    {
        var service = WithStable(Specs.Service(), "old", new CanaryRevisionStatus { Name = "mlp-middle", Phase = "Progressing", Step = 1, TrafficPercent = 10 });
        var plan = Plan(service, Observed(("old", true), ("middle", true)));

        Assert.That(plan.Wanted, Does.Not.Contain("middle"));
        Assert.That((plan.History![0].Revision, plan.History[0].Outcome), Is.EqualTo(("mlp-middle", "Superseded")));
        Assert.That(plan.Canary!.Name, Is.Not.EqualTo("mlp-middle"));
    }

    [Test]
    public void SpecBackToTheStableRevision_EndsTheRollout()
    {
        var service = Specs.Service();
        var hash = RevisionHash.Of(service.Resolve());
        WithStable(service, hash, new CanaryRevisionStatus { Name = "mlp-other", Phase = "Progressing", Step = 1, TrafficPercent = 10 });
        var plan = Plan(service, Observed((hash, true), ("other", true)));

        Assert.That(plan.Canary, Is.Null);
        Assert.That(plan.Wanted, Is.EquivalentTo(new[] { hash }));
    }

    [Test]
    public void RolledBackCanary_StaysScaledToZero()
    {
        var service = Specs.Service();
        var hash = RevisionHash.Of(service.Resolve());
        WithStable(service, "old", new CanaryRevisionStatus { Name = $"mlp-{hash}", Phase = "RolledBack", Step = 2, TrafficPercent = 0 });
        var plan = Plan(service, Observed(("old", true), (hash, false)));

        Assert.That(plan.DesiredScaledToZero, Is.True);
        Assert.That(plan.Traffic.CanaryPercent, Is.Zero);
    }
}
