using Serval.Operator.Autoscaling;

namespace Serval.Operator.Metrics;

/// <summary>
/// The recent scrapes of one revision's pods, and the figures they give over any window up to
/// <see cref="Retention"/>. Rates come from counter deltas, as Prometheus' <c>increase()</c> computes
/// them: a counter that went down means the pod restarted, so its new value is the increase since.
/// Not thread-safe: one scraper loop owns it.
/// </summary>
internal sealed class RevisionMetricsWindow
{
    private readonly Dictionary<string, List<WorkerSnapshot>> _pods = new(StringComparer.Ordinal);

    public RevisionMetricsWindow(TimeSpan retention)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        Retention = retention;
    }

    /// <summary>How far back scrapes are kept (the longest window asked for, plus one scrape interval).</summary>
    public TimeSpan Retention { get; }

    /// <summary>Pods with scrapes kept.</summary>
    public IEnumerable<string> Pods => _pods.Keys;

    /// <summary>Adds a scrape of <paramref name="pod"/> and drops scrapes older than <see cref="Retention"/>.</summary>
    public void Record(string pod, WorkerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!_pods.TryGetValue(pod, out var list))
        {
            list = [];
            _pods[pod] = list;
        }

        if (list.Count > 0 && snapshot.At < list[^1].At)
        {
            throw new ArgumentException($"scrape of pod '{pod}' at {snapshot.At:O} is older than the last one at {list[^1].At:O}", nameof(snapshot));
        }

        list.Add(snapshot);
        var horizon = snapshot.At - Retention;
        // Keep one scrape before the horizon: it is the base of the oldest window's deltas.
        var drop = list.FindLastIndex(s => s.At <= horizon);
        if (drop > 0)
        {
            list.RemoveRange(0, drop);
        }
    }

    /// <summary>Forgets a pod that is gone.</summary>
    public void Forget(string pod) => _pods.Remove(pod);

    /// <summary>
    /// The figures over (<paramref name="now"/> - <paramref name="window"/>, <paramref name="now"/>], or null when
    /// no pod has two scrapes to take a rate from.
    /// </summary>
    public WindowFigures? Figures(DateTimeOffset now, TimeSpan window)
    {
        if (_pods.Count == 0)
        {
            return null; // most revisions most of the time on a large fleet: ask for nothing
        }

        var start = now - window;
        double rps = 0, servedPerSecond = 0, concurrency = 0, queued = 0, queueGrowth = 0, requests = 0, failed = 0, succeeded = 0, busy = 0;
        var buckets = new SortedDictionary<double, double>();
        var pods = 0;
        foreach (var list in _pods.Values)
        {
            var first = list.FindLastIndex(s => s.At <= start);
            var inWindow = list.Where(s => s.At > start && s.At <= now).ToList();
            if (inWindow.Count == 0)
            {
                continue; // the pod did not answer in this window: missing, not idle
            }

            var series = first >= 0 ? [list[first], .. inWindow] : inWindow;
            if (series.Count < 2)
            {
                continue;
            }

            var seconds = (series[^1].At - series[0].At).TotalSeconds;
            if (seconds <= 0)
            {
                continue;
            }

            pods++;
            var delta = Delta(series);
            requests += delta.Requests;
            failed += delta.Failed;
            succeeded += delta.Succeeded;
            busy += delta.BusySeconds;
            rps += delta.Requests / seconds;
            servedPerSecond += delta.Succeeded / seconds;
            queueGrowth += (series[^1].QueueDepth - series[0].QueueDepth) / seconds;
            concurrency += inWindow.Average(s => s.InFlight);
            queued += inWindow.Average(s => s.QueueDepth);
            for (var b = 0; b < delta.LatencyBuckets.Count; b++)
            {
                buckets[delta.LatencyBuckets[b]] = buckets.GetValueOrDefault(delta.LatencyBuckets[b]) + delta.LatencyCounts[b];
            }
        }

        if (pods == 0)
        {
            return null;
        }

        return new WindowFigures(
            rps,
            concurrency,
            Quantile(buckets, 0.50) * 1000,
            Quantile(buckets, 0.95) * 1000,
            requests > 0 ? 100.0 * failed / requests : 0,
            busy > 1e-9 ? succeeded / busy : null,
            queueGrowth,
            queued,
            pods)
        {
            RequestCount = requests,
            FailedCount = failed,
            SucceededPerSecond = servedPerSecond,
        };
    }

    /// <summary>The increase of every counter across <paramref name="series"/>, restarts included.</summary>
    private static WorkerSnapshot Delta(List<WorkerSnapshot> series)
    {
        double succeeded = 0, failed = 0, other = 0, sum = 0, busy = 0;
        var bounds = series[^1].LatencyBuckets;
        var counts = new double[bounds.Count];
        for (var i = 1; i < series.Count; i++)
        {
            var (prev, cur) = (series[i - 1], series[i]);
            var restarted = cur.Requests < prev.Requests || cur.LatencySumSeconds < prev.LatencySumSeconds || cur.BusySeconds < prev.BusySeconds;
            succeeded += Increase(prev.Succeeded, cur.Succeeded, restarted);
            failed += Increase(prev.Failed, cur.Failed, restarted);
            other += Increase(prev.Other, cur.Other, restarted);
            sum += Increase(prev.LatencySumSeconds, cur.LatencySumSeconds, restarted);
            busy += Increase(prev.BusySeconds, cur.BusySeconds, restarted);
            var sameBuckets = prev.LatencyBuckets.SequenceEqual(cur.LatencyBuckets) && cur.LatencyBuckets.SequenceEqual(bounds);
            for (var b = 0; b < counts.Length && b < cur.LatencyCounts.Count; b++)
            {
                var before = sameBuckets ? prev.LatencyCounts[b] : 0;
                counts[b] += Increase(before, cur.LatencyCounts[b], restarted || cur.LatencyCounts[b] < before);
            }
        }

        return series[^1] with
        {
            Succeeded = succeeded,
            Failed = failed,
            Other = other,
            LatencySumSeconds = sum,
            BusySeconds = busy,
            LatencyCounts = counts,
        };
    }

    private static double Increase(double before, double after, bool restarted) =>
        restarted || after < before ? after : after - before;

    /// <summary>histogram_quantile: linear interpolation inside the bucket holding the rank.</summary>
    internal static double? Quantile(SortedDictionary<double, double> cumulative, double q)
    {
        if (cumulative.Count == 0)
        {
            return null;
        }

        var total = cumulative.Last().Value;
        if (total <= 0)
        {
            return null;
        }

        var rank = q * total;
        double lowerBound = 0, lowerCount = 0;
        foreach (var (bound, count) in cumulative)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(bound))
                {
                    return lowerBound; // beyond the last finite bucket: its bound is all we know
                }

                var inBucket = count - lowerCount;
                return inBucket <= 0 ? bound : lowerBound + ((bound - lowerBound) * (rank - lowerCount) / inBucket);
            }

            (lowerBound, lowerCount) = (bound, count);
        }

        return lowerBound;
    }
}
