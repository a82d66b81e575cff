namespace Serval.Bench.Autoscale;

/// <summary>
/// Knows the trace: every second it runs exactly the replicas the next pod-start delay will need at
/// <see cref="Utilization"/> of capacity, so new pods are ready when the load arrives, and drops
/// replicas the moment they stop being needed. No autoscaler can do better on both counts.
/// </summary>
internal sealed class OraclePolicy(double utilization) : IScalingPolicy
{
    public string Name => "oracle";

    public double PeriodSeconds => 1;

    public double Utilization => utilization;

    public int Decide(Simulation sim)
    {
        var trace = sim.Trace;
        var capacity = sim.Settings.Profile.Capacity;
        var peak = 0.0;
        for (var t = sim.Now; t <= sim.Now + sim.Settings.PodStartSeconds + 2; t += 1)
        {
            peak = Math.Max(peak, trace.RateAt(t));
        }

        return (int)Math.Ceiling(peak / (capacity * utilization));
    }
}
