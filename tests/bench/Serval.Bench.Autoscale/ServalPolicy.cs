using Serval.Operator.Autoscaling;
using Serval.Operator.Metrics;

namespace Serval.Bench.Autoscale;

/// <summary>
/// Serval as deployed: the operator scrapes every 2 s and decides with <see cref="Autoscaler"/>. By default it sets the
/// Deployment's replicas to each decision at once (its scale subresource, as KPA does); the revision's HPA reads the same
/// decision through the external metrics API and so changes nothing. With <paramref name="direct"/> false
/// (<c>--scale-directly false</c>) only the HPA applies it, on its own 15 s sync, and only when it differs by more than
/// the HPA's 10 % tolerance (its scale-down stabilisation is 0: the decision carries the delay; its scale-up is not
/// limited further).
/// </summary>
internal sealed class ServalPolicy(AutoscalePolicy policy, bool direct = true) : IScalingPolicy
{
    private readonly RevisionMetricsWindow _window = new(policy.StableWindow + TimeSpan.FromSeconds(2));
    private AutoscaleState _state = AutoscaleState.Initial;
    private int _served = -1;
    private int _ticks;

    public string Name => direct ? "serval" : "serval-hpa";

    public double PeriodSeconds => 2;

    /// <summary>The spec the simulation runs Serval with.</summary>
    public AutoscalePolicy Policy => policy;

    public int Decide(Simulation sim)
    {
        var decision = DecideFromScrape(sim, _window, policy, _state);
        _state = decision.State;
        _served = decision.DesiredReplicas;
        if (direct)
        {
            return _served;
        }

        _ticks++;
        if (_ticks % 15 != 0 && _ticks % 15 != 8)
        {
            return sim.Current; // between HPA syncs (every 15 s: alternately 16 and 14 s of 2 s ticks)
        }

        var current = sim.Current;
        return Math.Abs(((double)_served / Math.Max(1, current)) - 1) <= 0.1 ? current : _served;
    }

    /// <summary>Scrapes the simulated workers into <paramref name="window"/> and decides, as the operator does.</summary>
    public static AutoscaleDecision DecideFromScrape(Simulation sim, RevisionMetricsWindow window, AutoscalePolicy policy, AutoscaleState state, bool readsLatest = true)
    {
        var scrape = sim.Scrape();
        window.Record("all", scrape);
        var now = scrape.At;
        var observed = new AutoscaleObservation(
            window.Figures(now, policy.StableWindow),
            window.Figures(now, policy.PanicWindow),
            sim.Current,
            sim.Ready)
        {
            Latest = readsLatest ? window.Figures(now, TimeSpan.FromSeconds(2)) : null,
        };
        return Autoscaler.Decide(policy, observed, state, now);
    }
}
