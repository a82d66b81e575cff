namespace Serval.Bench.Autoscale;

/// <summary>
/// Kubernetes' HorizontalPodAutoscaler on CPU with its default behaviour: a 15 s sync, 10 % tolerance,
/// scale-up by at most +100 % or +4 pods per 15 s, scale-down stabilised over 300 s. CPU is the replicas'
/// busy share over the last 15 s (fresher than metrics-server delivers in a cluster: generous to the HPA).
/// Pods still starting count as using nothing, as the HPA counts unready pods when scaling up.
/// </summary>
internal sealed class HpaCpuPolicy(double targetUtilization) : IScalingPolicy
{
    private readonly List<(double At, int Replicas)> _recommendations = [];

    public string Name => "hpa";

    public double PeriodSeconds => 15;

    public int Decide(Simulation sim)
    {
        var current = sim.Current;
        var used = sim.CpuUtilization(15) * sim.Ready;
        var ratio = sim.Ready == 0 ? 1 : used / sim.Ready / targetUtilization;
        var wanted = Math.Abs(ratio - 1) <= 0.1 ? current : (int)Math.Ceiling(used / targetUtilization);
        if (ratio > 1.1)
        {
            wanted = Math.Max(current, wanted);
        }

        _recommendations.RemoveAll(r => sim.Now - r.At >= 300);
        _recommendations.Add((sim.Now, wanted));
        var stabilised = wanted < current ? Math.Min(current, _recommendations.Max(r => r.Replicas)) : wanted;
        var upLimit = Math.Max(current * 2, current + 4);
        return Math.Min(stabilised, upLimit);
    }
}
