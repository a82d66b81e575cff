using Microsoft.Extensions.Time.Testing;
using Serval.Api.V1Alpha1;
using Serval.Operator.Autoscaling;

namespace Serval.Operator.Tests.Autoscaling;

public sealed class AutoscalerTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);

    // target 4 at 70 % utilisation: 2.8 requests in flight per replica.
    private static readonly AutoscalePolicy Concurrency = new(1, 50, AutoscalingMetric.Concurrency, 4, null, TimeSpan.FromSeconds(300));

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static WindowFigures Load(double concurrency, double rps = 0, double? p95 = null, double? capacity = null, double queueGrowth = 0, double queued = 0) =>
        new(rps, concurrency, p95 / 2, p95, 0, capacity, queueGrowth, queued, 1);

    private static AutoscaleObservation Observe(WindowFigures stable, WindowFigures? panic, int replicas, int? ready = null, int missing = 0) =>
        new(stable, panic ?? stable, replicas, ready ?? replicas, missing);

    /// <summary>Runs decisions every tick for <paramref name="duration"/>, feeding each one's replicas into the next.</summary>
    private (AutoscaleDecision Last, List<int> Replicas) Run(AutoscalePolicy policy, Func<int, AutoscaleObservation> observe, TimeSpan duration, AutoscaleState? state = null, int replicas = 3)
    {
        var seen = new List<int>();
        AutoscaleDecision? last = null;
        state ??= AutoscaleState.Initial;
        for (var t = TimeSpan.Zero; t < duration; t += Tick)
        {
            _clock.Advance(Tick);
            last = Autoscaler.Decide(policy, observe(replicas), state, _clock.GetUtcNow());
            state = last.State;
            replicas = last.DesiredReplicas;
            seen.Add(replicas);
        }

        return (last!, seen);
    }

    [Test]
    public void SteadyLoad_KeepsReplicas()
    {
        var (last, seen) = Run(Concurrency, r => Observe(Load(8), null, r), TimeSpan.FromMinutes(10));

        Assert.That(seen, Is.All.EqualTo(3));
        Assert.That(last.Panicking, Is.False);
        Assert.That(last.Reason, Is.EqualTo("concurrency 8 for target 2.8 per replica"));
    }

    [Test]
    public void TenfoldBurst_EntersPanicAndScalesWithinOneTick()
    {
        var steady = Run(Concurrency, r => Observe(Load(8), null, r), TimeSpan.FromSeconds(60));

        _clock.Advance(Tick);
        var burst = Autoscaler.Decide(Concurrency, Observe(Load(20), Load(120), 3), steady.Last.State, _clock.GetUtcNow());

        Assert.That(burst.Panicking, Is.True);
        Assert.That(burst.DesiredReplicas, Is.EqualTo(43)); // ceil(120 / 2.8)
        Assert.That(burst.Reason, Is.EqualTo("panic: concurrency 10× target"));
    }

    [Test]
    public void Panic_NeverScalesDownBeforeTheStableWindowIsCalm()
    {
        _clock.Advance(Tick);
        var burst = Autoscaler.Decide(Concurrency, Observe(Load(20), Load(120), 3), AutoscaleState.Initial, _clock.GetUtcNow());
        var policy = Concurrency with { ScaleDownDelay = TimeSpan.Zero };

        var (held, seen) = Run(policy, r => Observe(Load(20), Load(20), r), TimeSpan.FromSeconds(58), burst.State, burst.DesiredReplicas);
        var after = Run(policy, r => Observe(Load(20), Load(20), r), TimeSpan.FromSeconds(4), held.State, held.DesiredReplicas);

        Assert.That(seen, Is.All.EqualTo(43));
        Assert.That(after.Last.DesiredReplicas, Is.EqualTo(10)); // out of panic, halving at most per tick: 43 -> 21 -> 10
        Assert.That(after.Last.Panicking, Is.False);
    }

    [Test]
    public void ScaleDown_WaitsForTheDelay()
    {
        var (_, seen) = Run(Concurrency, r => Observe(Load(1), null, r), TimeSpan.FromSeconds(330), replicas: 3);

        var before = seen.Take(149); // 298 s of ticks
        Assert.That(before, Is.All.EqualTo(3));
        Assert.That(seen[^1], Is.EqualTo(1));
    }

    [Test]
    public void ScaleDown_ALoweredMaxReplicas_AppliesAtOnce_DespiteTheDelay()
    {
        var busy = Run(Concurrency, r => Observe(Load(25), null, r), TimeSpan.FromSeconds(10), replicas: 9);

        _clock.Advance(Tick);
        var d = Autoscaler.Decide(Concurrency with { MaxReplicas = 3 }, Observe(Load(25), null, 9), busy.Last.State, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(3));
    }

    [Test]
    public void ScaleDown_AfterAPeak_HoldsThePeakForTheDelay_ThenTheHighestSinceIt()
    {
        // 9 replicas' worth for 10 s, then 5 for 100 s, then 2. The delay holds 9 until 300 s after it was last asked
        // for, then 5 until 300 s after that. Under the light load 4 was asked for while 9 ran (a replica count at
        // most halves per decision), so 4 is held next, 300 s after 9 ended.
        var state = AutoscaleState.Initial;
        var seen = new List<int>();
        foreach (var (load, seconds) in new[] { (25.0, 10), (14.0, 100), (5.0, 400) })
        {
            var run = Run(Concurrency, r => Observe(Load(load), null, r), TimeSpan.FromSeconds(seconds), state, seen.Count == 0 ? 9 : seen[^1]);
            state = run.Last.State;
            seen.AddRange(run.Replicas);
        }

        Assert.Multiple(() =>
        {
            Assert.That(seen[100], Is.EqualTo(9), "200 s after the peak");
            Assert.That(seen[160], Is.EqualTo(5), "310 s after the peak, 210 s after 5 was last asked for");
            Assert.That(seen[^1], Is.EqualTo(4), "510 s: 200 s after 4 was last asked for");
            Assert.That(state.Recent.Count, Is.LessThanOrEqualTo(2), "only recommendations that may still be the highest are kept");
        });
    }

    [Test]
    public void ScaleDown_ReasonSaysItIsHeld()
    {
        var steady = Run(Concurrency, r => Observe(Load(8), null, r), TimeSpan.FromSeconds(10));

        _clock.Advance(Tick);
        var d = Autoscaler.Decide(Concurrency, Observe(Load(1), null, 3), steady.Last.State, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(3));
        Assert.That(d.Reason, Is.EqualTo("scale-down delay: holding 3 (wants 1) for 300 s"));
    }

    [Test]
    public void NoMetrics_HoldsTheCurrentReplicas()
    {
        var policy = Concurrency with { ScaleDownDelay = TimeSpan.Zero };
        var (last, seen) = Run(policy, r => new AutoscaleObservation(null, null, r, r), TimeSpan.FromMinutes(10), replicas: 5);

        Assert.That(seen, Is.All.EqualTo(5));
        Assert.That(last.Reason, Is.EqualTo("no metrics: holding 5"));
    }

    [Test]
    public void MissingPods_NeverCauseAScaleDown()
    {
        var policy = Concurrency with { ScaleDownDelay = TimeSpan.Zero };
        var (last, seen) = Run(policy, r => Observe(Load(0.5), null, r, missing: 2), TimeSpan.FromMinutes(2), replicas: 5);

        Assert.That(seen, Is.All.EqualTo(5));
        Assert.That(last.Reason, Is.EqualTo("metrics missing from 2 pod(s): not scaling down"));
    }

    [Test]
    public void MissingPods_StillAllowAScaleUp()
    {
        _clock.Advance(Tick);
        var d = Autoscaler.Decide(Concurrency, Observe(Load(28), null, 5, missing: 1), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(10));
    }

    [Test]
    public void MaxReplicas_Holds()
    {
        var policy = Concurrency with { MaxReplicas = 8 };
        _clock.Advance(Tick);
        var d = Autoscaler.Decide(policy, Observe(Load(1000), null, 3), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(8));
        Assert.That(d.Reason, Does.EndWith("(at maxReplicas 8)"));
    }

    [Test]
    public void MinReplicas_Holds()
    {
        var policy = Concurrency with { MinReplicas = 2, ScaleDownDelay = TimeSpan.Zero };
        var (last, _) = Run(policy, r => Observe(Load(0), null, r), TimeSpan.FromMinutes(1), replicas: 4);

        Assert.That(last.DesiredReplicas, Is.EqualTo(2));
        Assert.That(last.Reason, Does.EndWith("(at minReplicas 2)"));
    }

    [Test]
    public void ScaleUpRate_LimitsOneDecision()
    {
        var policy = Concurrency with { MaxScaleUpRate = 2 };
        _clock.Advance(Tick);
        var d = Autoscaler.Decide(policy, Observe(Load(100), null, 3), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(6));
    }

    [Test]
    public void RequestsPerSecond_CountsAGrowingQueueAsArrivals()
    {
        var policy = new AutoscalePolicy(1, 50, AutoscalingMetric.RequestsPerSecond, 10, null, TimeSpan.Zero);
        _clock.Advance(Tick);
        var steady = Autoscaler.Decide(policy, Observe(Load(0, rps: 28), null, 4), AutoscaleState.Initial, _clock.GetUtcNow());
        var piling = Autoscaler.Decide(policy, Observe(Load(0, rps: 28, queueGrowth: 14), null, 4), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(steady.DesiredReplicas, Is.EqualTo(4));
        Assert.That(piling.DesiredReplicas, Is.EqualTo(6));
    }

    [Test]
    public void Latency_SizesReplicasByLittlesLawFromMeasuredServiceTime()
    {
        // 100 requests per busy second (10 ms each) under a 100 ms SLO: 70 % busy is allowed, 70 rps per replica.
        var policy = new AutoscalePolicy(1, 50, AutoscalingMetric.Latency, 0, 100, TimeSpan.Zero);
        _clock.Advance(Tick);
        var d = Autoscaler.Decide(policy, Observe(Load(3, rps: 350, p95: 20, capacity: 100), null, 5), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(5));
    }

    [Test]
    public void Latency_SlowServiceLowersHowBusyAReplicaMayRun()
    {
        // 20 requests per busy second (50 ms each) under a 100 ms SLO: at most 50 % busy, 10 rps per replica.
        var policy = new AutoscalePolicy(1, 50, AutoscalingMetric.Latency, 0, 100, TimeSpan.Zero);
        _clock.Advance(Tick);
        var d = Autoscaler.Decide(policy, Observe(Load(3, rps: 40, p95: 60, capacity: 20), null, 4), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(4));
    }

    [Test]
    public void LatencyGuard_AddsAReplicaWhenP95IsOverTheSlo()
    {
        var policy = Concurrency with { LatencySloMilliseconds = 100 };
        _clock.Advance(Tick);
        var d = Autoscaler.Decide(policy, Observe(Load(8, p95: 180), null, 3), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(4));
        Assert.That(d.Reason, Is.EqualTo("latency guard: p95 180 ms over SLO 100 ms"));
    }

    [Test]
    public void LatencyGuard_CountsStartingPodsAsCapacityOnTheWay()
    {
        var policy = Concurrency with { LatencySloMilliseconds = 100 };
        _clock.Advance(Tick);
        var d = Autoscaler.Decide(policy, Observe(Load(8, p95: 180), null, 4, ready: 3), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(4));
    }

    [Test]
    public void LatencyGuard_BlocksScaleDownWhileOverTheSlo()
    {
        var policy = Concurrency with { LatencySloMilliseconds = 100, ScaleDownDelay = TimeSpan.Zero };
        _clock.Advance(Tick);
        var d = Autoscaler.Decide(policy, Observe(Load(1, p95: 150), null, 6, ready: 5), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(6));
    }

    [Test]
    public void Concurrency_ABacklogBehindSaturatedReplicasIsSizedByArrivalsNotByItsLength()
    {
        // 3 replicas run 12 requests (saturated) at 30 rps while 60 rps arrive; 200 wait. Steady need: 12 x 60 / 30 = 24.
        var policy = Concurrency with { ScaleDownDelay = TimeSpan.Zero };
        _clock.Advance(Tick);
        var d = Autoscaler.Decide(policy, Observe(Load(212, rps: 30, queueGrowth: 30, queued: 200), null, 3), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(9)); // ceil(24 / 2.8)
    }

    [Test]
    public void Concurrency_AStandingQueueOfClientsWaitingForAnswers_AddsAReplicaPerDecision()
    {
        // One saturated replica, 6 clients that each wait for an answer: 1 runs, 5 wait, arrivals equal completions.
        var policy = Concurrency with { ScaleDownDelay = TimeSpan.Zero };
        _clock.Advance(Tick);
        var first = Autoscaler.Decide(policy, Observe(Load(6, rps: 22, queueGrowth: 0.5, queued: 5), null, 1), AutoscaleState.Initial, _clock.GetUtcNow());
        _clock.Advance(Tick);
        var starting = Autoscaler.Decide(policy, Observe(Load(6, rps: 22, queued: 5), null, 2, ready: 1), first.State, _clock.GetUtcNow());
        _clock.Advance(Tick);
        var second = Autoscaler.Decide(policy, Observe(Load(6, rps: 44, queued: 4), null, 2, ready: 2), starting.State, _clock.GetUtcNow());

        Assert.Multiple(() =>
        {
            Assert.That(first.DesiredReplicas, Is.EqualTo(2));
            Assert.That(first.Reason, Does.StartWith("standing queue"));
            Assert.That(starting.DesiredReplicas, Is.EqualTo(2), "no more while a pod is still starting");
            Assert.That(second.DesiredReplicas, Is.EqualTo(3));
        });
    }

    [Test]
    public void Concurrency_ADrainingBacklogIsNotSizedForAgain()
    {
        // After a scale-out, 6 replicas drain a backlog of 100 at 20 rps net: the 12 in service are the steady need.
        var policy = Concurrency with { ScaleDownDelay = TimeSpan.Zero };
        _clock.Advance(Tick);
        var d = Autoscaler.Decide(policy, Observe(Load(112, rps: 60, queueGrowth: -20, queued: 100), null, 6, ready: 6), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(5)); // ceil(12 / 2.8), within one halving of 6
    }

    [Test]
    public void Concurrency_ABacklogThatStandsOnlyOnTheLongAverageIsStillDraining()
    {
        // Over the stable window the queue grew and then drained (net growth 0); the panic window sees it draining.
        var policy = Concurrency with { ScaleDownDelay = TimeSpan.Zero };
        _clock.Advance(Tick);
        var d = Autoscaler.Decide(
            policy,
            Observe(Load(112, rps: 60, queueGrowth: 0, queued: 100), Load(112, rps: 60, queueGrowth: -20, queued: 100), 6, ready: 6),
            AutoscaleState.Initial,
            _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(5)); // the 12 in service, not the 112 in flight
    }

    [Test]
    public void Concurrency_AStepThatSaturatesTheLatestInterval_IsSizedInOneTick()
    {
        // The panic window still averages the step with the calm before it (12 in flight: 5 replicas, not panic);
        // the last 2 s show 12 in service, 40 waiting and the queue growing by 100/s while 300/s are served.
        var stable = Load(8);
        var panic = Load(12);
        var latest = new WindowFigures(300, 52, 20, 400, 0, null, 100, 40, 3) { SucceededPerSecond = 300 };

        _clock.Advance(Tick);
        var averaged = Autoscaler.Decide(Concurrency, Observe(stable, panic, 3), AutoscaleState.Initial, _clock.GetUtcNow());
        var stepped = Autoscaler.Decide(Concurrency, Observe(stable, panic, 3) with { Latest = latest }, AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.Multiple(() =>
        {
            Assert.That(averaged.DesiredReplicas, Is.EqualTo(3));
            // arrivals 300 + 100 + the backlog over 2 s (20) = 420/s: 12 in service x 420 / 300 = 16.8 in flight, / 2.8
            Assert.That(stepped.DesiredReplicas, Is.EqualTo(6));
            Assert.That(stepped.Panicking, Is.True);
        });
    }

    [Test]
    public void Concurrency_TheLatestIntervalIsIgnoredUnlessItsReplicasAreSaturated()
    {
        // A noisy 2 s with more in flight but nothing waiting is no step.
        var calmSpike = new WindowFigures(300, 20, 20, 40, 0, null, 0, 0, 3) { SucceededPerSecond = 300 };

        _clock.Advance(Tick);
        var decision = Autoscaler.Decide(Concurrency, Observe(Load(8), Load(8), 3) with { Latest = calmSpike }, AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(decision.DesiredReplicas, Is.EqualTo(3));
    }

    [Test]
    public void Concurrency_RefusalsFromAFullQueueDoNotHideTheOverload()
    {
        // 2 replicas, 8 in service and a full queue of 256 that neither grows nor drains: 200/s are served and 800/s
        // refused (429). Served and refused together equal arrivals, so counting the refusals as served would make the
        // backlog look like steady load of 8 in flight (3 replicas).
        var full = new WindowFigures(1000, 264, 900, 1300, 0, null, 0, 256, 2) { SucceededPerSecond = 200 };

        _clock.Advance(Tick);
        var decision = Autoscaler.Decide(Concurrency, Observe(full, full, 2), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.Multiple(() =>
        {
            Assert.That(full.SteadyConcurrency, Is.EqualTo(40).Within(1e-9)); // 8 x 1000 / 200
            Assert.That(decision.DesiredReplicas, Is.EqualTo(15)); // ceil(40 / 2.8)
        });
    }

    [Test]
    public void Concurrency_NothingServedAtAll_SizesForEveryRequestInFlight()
    {
        // Every request refused in the window: no service time to scale the in-service requests by.
        var refusing = new WindowFigures(1000, 264, null, null, 0, null, 0, 256, 2) { SucceededPerSecond = 0 };

        _clock.Advance(Tick);
        var decision = Autoscaler.Decide(Concurrency, Observe(refusing, refusing, 2), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.Multiple(() =>
        {
            Assert.That(refusing.SteadyConcurrency, Is.EqualTo(264));
            Assert.That(decision.DesiredReplicas, Is.EqualTo(50)); // ceil(264 / 2.8) = 95, at maxReplicas 50
        });
    }

    [Test]
    public void Concurrency_WithoutBacklogAwarenessSizesForEveryRequestInFlight()
    {
        var policy = Concurrency with { BacklogAware = false };
        _clock.Advance(Tick);
        var d = Autoscaler.Decide(policy, Observe(Load(212, rps: 30, queueGrowth: 30, queued: 200), null, 3), AutoscaleState.Initial, _clock.GetUtcNow());

        Assert.That(d.DesiredReplicas, Is.EqualTo(50)); // ceil(212 / 2.8) = 76, at maxReplicas
    }

    [Test]
    public void Decide_IsDeterministic()
    {
        _clock.Advance(Tick);
        var now = _clock.GetUtcNow();
        var a = Autoscaler.Decide(Concurrency, Observe(Load(20), Load(70), 3), AutoscaleState.Initial, now);
        var b = Autoscaler.Decide(Concurrency, Observe(Load(20), Load(70), 3), AutoscaleState.Initial, now);

        Assert.That((a.DesiredReplicas, a.Reason, a.Panicking, a.State.PanicSince), Is.EqualTo((b.DesiredReplicas, b.Reason, b.Panicking, b.State.PanicSince)));
    }
}
