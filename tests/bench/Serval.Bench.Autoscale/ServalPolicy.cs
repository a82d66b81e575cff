using Serval.Operator.Autoscaling;
using Serval.Operator.Metrics;

namespace Serval.Bench.Autoscale;

/// <summary>
/// Serval as deployed: the operator scrapes every 2 s and decides with <see cref="Autoscaler"/>; the revision's
/// HPA reads that decision through the external metrics API on its own 15 s sync and applies it when it
/// differs by more than the HPA's 10 % tolerance (its scale-down stabilisation equals the decision's delay,
/// and its scale-up is not limited further).
/// </summary>
internal sealed class ServalPolicy(AutoscalePolicy policy) : IScalingPolicy
{
    private readonly RevisionMetricsWindow _window = new(policy.StableWindow + TimeSpan.FromSeconds(2));
    private AutoscaleState _state = AutoscaleState.Initial;
    private int _served = -1;
    private int _ticks;

    public string Name => "serval";

    public double PeriodSeconds => 2;

    /// <summary>The spec the simulation runs Serval with.</summary>
    public AutoscalePolicy Policy => policy;

    public int Decide(Simulation sim)
    {
        var decision = DecideFromScrape(sim, _window, policy, _state);
        _state = decision.State;
        _served = decision.DesiredReplicas;
        _ticks++;
        if (_ticks % 15 != 0 && _ticks % 15 != 8)
        {
            return sim.Current; // between HPA syncs (every 15 s: alternately 16 and 14 s of 2 s ticks)
        }

        var current = sim.Current;
        return Math.Abs(((double)_served / Math.Max(1, current)) - 1) <= 0.1 ? current : _served;
    }

    /// <summary>Scrapes the simulated workers into <paramref name="window"/> and decides, as the operator does.</summary>
    public static AutoscaleDecision DecideFromScrape(Simulation sim, RevisionMetricsWindow window, AutoscalePolicy policy, AutoscaleState state)
    {
        var scrape = sim.Scrape();
        window.Record("all", scrape);
        var now = scrape.At;
        var observed = new AutoscaleObservation(
            window.Figures(now, policy.StableWindow),
            window.Figures(now, policy.PanicWindow),
            sim.Current,
            sim.Ready);
        return Autoscaler.Decide(policy, observed, state, now);
    }
}
