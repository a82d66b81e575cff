namespace Serval.Bench.Autoscale;

/// <summary>One policy over one trace.</summary>
/// <param name="Policy">The policy's name.</param>
/// <param name="SloViolationPercent">Requests slower than the SLO or refused, in percent of all.</param>
/// <param name="ReplicaSeconds">Replicas (ready or starting) integrated over time.</param>
/// <param name="ScaleActions">Times the replica count was changed.</param>
/// <param name="RecoverySeconds">The longest stretch of seconds in which over 5 % of requests missed the SLO.</param>
/// <param name="Replicas">Replicas at the end of each second.</param>
/// <param name="P95Seconds">p95 latency of each second's arrivals.</param>
internal sealed record SimResult(
    string Policy,
    double SloViolationPercent,
    double ReplicaSeconds,
    int ScaleActions,
    int RecoverySeconds,
    int[] Replicas,
    double[] P95Seconds)
{
    public static SimResult From(string policy, Simulation sim)
    {
        var arrivals = sim.Arrivals.Sum();
        var violations = sim.Violations.Sum();
        int longest = 0, run = 0;
        for (var s = 0; s < sim.Arrivals.Length; s++)
        {
            run = sim.Arrivals[s] > 0 && sim.Violations[s] > 0.05 * sim.Arrivals[s] ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return new SimResult(policy, arrivals == 0 ? 0 : 100.0 * violations / arrivals, sim.ReplicaSeconds, sim.ScaleActions, longest, sim.Replicas, sim.P95BySecond());
    }
}
