namespace Serval.Operator.Autoscaling;

/// <summary>One revision's load over a window, summed over the pods that reported in it.</summary>
/// <param name="RequestsPerSecond">Requests answered per second, all outcomes.</param>
/// <param name="Concurrency">Requests in flight (running or queued), time-averaged.</param>
/// <param name="LatencyP50Milliseconds">Median latency of successful requests, or null without any.</param>
/// <param name="LatencyP95Milliseconds">p95 latency of successful requests, or null without any.</param>
/// <param name="ErrorRatePercent">Server errors in percent of all requests (0 without requests).</param>
/// <param name="CapacityPerReplica">Requests one replica answers per second of model time (successes over busy
/// seconds): what a fully busy replica can serve; null when the model was never busy.</param>
/// <param name="QueueGrowthPerSecond">How fast the queues grew over the window (negative when draining).</param>
/// <param name="QueueDepth">Of <paramref name="Concurrency"/>, the requests waiting in the queues, time-averaged.</param>
/// <param name="Pods">Pods that contributed.</param>
internal sealed record WindowFigures(
    double RequestsPerSecond,
    double Concurrency,
    double? LatencyP50Milliseconds,
    double? LatencyP95Milliseconds,
    double ErrorRatePercent,
    double? CapacityPerReplica,
    double QueueGrowthPerSecond,
    double QueueDepth,
    int Pods)
{
    /// <summary>Requests answered in the window, summed over the pods (counter increases, not a rate).</summary>
    public double RequestCount { get; init; }

    /// <summary>Of <see cref="RequestCount"/>, the failed ones.</summary>
    public double FailedCount { get; init; }

    /// <summary>
    /// Requests that completed successfully per second: what the replicas actually served, without the refusals
    /// (429 from a full queue) that <see cref="RequestsPerSecond"/> also counts. Null when not measured.
    /// </summary>
    public double? SucceededPerSecond { get; init; }

    /// <summary>Requests arriving per second: those answered plus those that piled up in the queues.</summary>
    public double ArrivalsPerSecond => RequestsPerSecond + Math.Max(0, QueueGrowthPerSecond);

    /// <summary>
    /// The concurrency the arrivals call for. When more requests wait than run, the replicas are saturated and the
    /// queue is backlog, not steady load: sizing for all of it would overshoot (a 2× step asks for the backlog's
    /// worth of replicas). Little's law then gives the steady figure: the requests in service, scaled by arrivals
    /// over the requests served. Refusals from a full queue arrive but are not served: counting them as served would
    /// hide exactly the overload that caused them.
    /// </summary>
    public double SteadyConcurrency
    {
        get
        {
            var inService = Concurrency - QueueDepth;
            // Nothing served at all (every request refused) leaves no service time to scale by: size for everything in flight.
            var served = SucceededPerSecond ?? RequestsPerSecond;
            return Saturated && served > 0
                ? Math.Min(Concurrency, inService * ArrivalsPerSecond / served)
                : Concurrency;
        }
    }

    /// <summary>More requests wait than run: the replicas serve as fast as they can.</summary>
    public bool Saturated => QueueDepth > Concurrency - QueueDepth;

    /// <summary>Whether a queue neither grew nor drained: by less than <see cref="StandingQueueShare"/> of the throughput per second.</summary>
    public bool QueueStanding => QueueDepth > 0 && Math.Abs(QueueGrowthPerSecond) < StandingQueueShare * RequestsPerSecond;

    /// <summary>Queue growth per second, as a share of throughput, below which a queue counts as standing.</summary>
    public const double StandingQueueShare = 0.1;
}
