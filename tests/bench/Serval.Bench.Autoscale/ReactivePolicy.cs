namespace Serval.Bench.Autoscale;

/// <summary>
/// The ideal reactive autoscaler: every 0.1 s it sees the true arrival rate of that moment and the requests waiting,
/// with no scrape, window or tick in between, and runs the replicas that serve the rate at <see cref="Utilization"/>
/// of capacity plus those that clear the backlog within a second. It does not know the future, so its pods still
/// arrive one pod start after a change: what it loses is what any policy that reacts to load (rather than predicting
/// it) must lose. Serval, KPA and the HPA all react.
/// </summary>
internal sealed class ReactivePolicy(double utilization) : IScalingPolicy
{
    public string Name => "reactive";

    public double PeriodSeconds => 0.1;

    public double Utilization => utilization;

    public int Decide(Simulation sim)
    {
        var capacity = sim.Settings.Profile.Capacity;
        var wanted = sim.Trace.RateAt(sim.Now) + sim.Waiting;
        return (int)Math.Ceiling(wanted / (capacity * utilization));
    }
}
