namespace Serval.Operator.Metrics;

/// <summary>
/// The figures the autoscaler reads from one scrape of one worker. Counters are cumulative since the
/// worker started; <see cref="InFlight"/> already counts queued requests (a request is in flight from
/// its arrival), so it is the pod's concurrency.
/// </summary>
/// <param name="At">When the scrape was taken.</param>
/// <param name="Succeeded">serval_inference_requests_total{outcome="success"}.</param>
/// <param name="Failed">Server errors (5xx): the error rate's numerator.</param>
/// <param name="Other">Client errors, rejections and cancellations: counted as traffic, not as errors.</param>
/// <param name="LatencyBuckets">Upper bounds (seconds) of serval_inference_request_duration_seconds, ascending, +Inf last.</param>
/// <param name="LatencyCounts">Cumulative bucket counts matching <paramref name="LatencyBuckets"/>.</param>
/// <param name="LatencySumSeconds">serval_inference_request_duration_seconds_sum.</param>
/// <param name="BusySeconds">serval_inference_compute_duration_seconds_sum: how long the model was busy.</param>
/// <param name="InFlight">serval_inference_in_flight_requests.</param>
/// <param name="QueueDepth">serval_inference_queue_depth.</param>
internal sealed record WorkerSnapshot(
    DateTimeOffset At,
    double Succeeded,
    double Failed,
    double Other,
    IReadOnlyList<double> LatencyBuckets,
    IReadOnlyList<double> LatencyCounts,
    double LatencySumSeconds,
    double BusySeconds,
    double InFlight,
    double QueueDepth)
{
    /// <summary>Every request counted, whatever its outcome.</summary>
    public double Requests => Succeeded + Failed + Other;

    /// <summary>Reads the worker's series from a parsed scrape; absent series count as zero.</summary>
    /// <exception cref="PrometheusFormatException">The latency histogram is inconsistent (bounds not ascending).</exception>
    public static WorkerSnapshot From(PrometheusExposition scrape, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        double succeeded = 0, failed = 0, other = 0;
        foreach (var s in scrape.Named("serval_inference_requests_total"))
        {
            switch (s.Label("outcome"))
            {
                case "success":
                    succeeded += s.Value;
                    break;
                case "server_error":
                    failed += s.Value;
                    break;
                default:
                    other += s.Value;
                    break;
            }
        }

        var buckets = new SortedDictionary<double, double>();
        foreach (var s in scrape.Named("serval_inference_request_duration_seconds_bucket"))
        {
            var le = s.Label("le") ?? throw new PrometheusFormatException("serval_inference_request_duration_seconds_bucket without an 'le' label");
            var bound = le is "+Inf" or "Inf" ? double.PositiveInfinity
                : double.TryParse(le, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var b) ? b
                : throw new PrometheusFormatException($"serval_inference_request_duration_seconds_bucket has le=\"{le}\", not a number");
            buckets[bound] = buckets.GetValueOrDefault(bound) + s.Value;
        }

        return new WorkerSnapshot(
            at,
            succeeded,
            failed,
            other,
            [.. buckets.Keys],
            [.. buckets.Values],
            Sum(scrape, "serval_inference_request_duration_seconds_sum"),
            Sum(scrape, "serval_inference_compute_duration_seconds_sum"),
            Sum(scrape, "serval_inference_in_flight_requests"),
            Sum(scrape, "serval_inference_queue_depth"));
    }

    private static double Sum(PrometheusExposition scrape, string name) => scrape.Named(name).Sum(s => s.Value);
}
