using System.Diagnostics;

namespace Serval.Bench.Worker;

/// <summary>One closed-loop run: the requests completed inside the measured window and their latencies.</summary>
internal sealed record Measurement(int Concurrency, double Seconds, long[] SortedLatencyTicks)
{
    public long Requests => SortedLatencyTicks.Length;

    /// <summary>Rounds of the same target taken as one run.</summary>
    public static Measurement Merge(IReadOnlyList<Measurement> parts)
    {
        var all = parts.SelectMany(p => p.SortedLatencyTicks).ToArray();
        Array.Sort(all);
        return new Measurement(parts[0].Concurrency, parts.Sum(p => p.Seconds), all);
    }

    public double RequestsPerSecond => Requests / Seconds;

    public double P50Microseconds => PercentileMicroseconds(0.50);

    public double P95Microseconds => PercentileMicroseconds(0.95);

    public double P99Microseconds => PercentileMicroseconds(0.99);

    /// <summary>Nearest-rank percentile.</summary>
    public double PercentileMicroseconds(double quantile)
    {
        if (SortedLatencyTicks.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(quantile * SortedLatencyTicks.Length) - 1;
        var ticks = SortedLatencyTicks[Math.Clamp(rank, 0, SortedLatencyTicks.Length - 1)];
        return ticks * 1_000_000.0 / Stopwatch.Frequency;
    }
}
