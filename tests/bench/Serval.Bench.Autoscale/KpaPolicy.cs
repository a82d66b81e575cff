using Serval.Api.V1Alpha1;
using Serval.Operator.Autoscaling;
using Serval.Operator.Metrics;

namespace Serval.Bench.Autoscale;

/// <summary>
/// Knative's KPA with its defaults: concurrency target = containerConcurrency (the replica's slots) at 70 %,
/// stable 60 s and panic 6 s windows, panic at 200 %, scale-up ×1000 and scale-down ÷2 per 2 s tick, no
/// scale-down delay, and it sets the Deployment's replicas itself each tick. That is the decision
/// <see cref="Autoscaler"/> makes with Serval's additions (latency guard, queue growth, delay) turned off.
/// </summary>
internal sealed class KpaPolicy(int containerConcurrency) : IScalingPolicy
{
    private readonly RevisionMetricsWindow _window = new(TimeSpan.FromSeconds(62));
    private AutoscaleState _state = AutoscaleState.Initial;

    public string Name => "kpa";

    public double PeriodSeconds => 2;

    public int Decide(Simulation sim)
    {
        var policy = new AutoscalePolicy(sim.Settings.MinReplicas, sim.Settings.MaxReplicas, AutoscalingMetric.Concurrency, containerConcurrency, null, TimeSpan.Zero)
        {
            BacklogAware = false,
        };
        var decision = ServalPolicy.DecideFromScrape(sim, _window, policy, _state, readsLatest: false);
        _state = decision.State;
        return decision.DesiredReplicas;
    }
}
