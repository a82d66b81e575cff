namespace Serval.LocalCluster.Local.Autoscaling;

/// <summary>
/// What the HPA controller remembers about one autoscaler between syncs: its recent unstabilised recommendations
/// (for the stabilisation windows) and its recent scale events (for the rate policies).
/// </summary>
public sealed class ScalingHistory
{
    /// <summary>Recommendations with their time, oldest first.</summary>
    public List<(DateTimeOffset At, int Replicas)> Recommendations { get; } = [];

    /// <summary>Scale-ups: time and replicas added.</summary>
    public List<(DateTimeOffset At, int Change)> ScaleUps { get; } = [];

    /// <summary>Scale-downs: time and replicas removed.</summary>
    public List<(DateTimeOffset At, int Change)> ScaleDowns { get; } = [];

    /// <summary>Records a rescale from <paramref name="from"/> to <paramref name="to"/> at <paramref name="at"/>.</summary>
    public void RecordScale(int from, int to, DateTimeOffset at)
    {
        if (to > from)
        {
            ScaleUps.Add((at, to - from));
        }
        else if (to < from)
        {
            ScaleDowns.Add((at, from - to));
        }
    }

    /// <summary>Replicas added (or removed) within <paramref name="period"/> before <paramref name="now"/>.</summary>
    public static int ChangeWithin(List<(DateTimeOffset At, int Change)> events, TimeSpan period, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(events);
        var cutoff = now - period;
        return events.Where(e => e.At > cutoff).Sum(e => e.Change);
    }

    /// <summary>Forgets what no window or policy period (at most <paramref name="longest"/>) can still see.</summary>
    public void Trim(TimeSpan longest, DateTimeOffset now)
    {
        var cutoff = now - longest;
        Recommendations.RemoveAll(r => r.At <= cutoff);
        ScaleUps.RemoveAll(e => e.At <= cutoff);
        ScaleDowns.RemoveAll(e => e.At <= cutoff);
    }
}
