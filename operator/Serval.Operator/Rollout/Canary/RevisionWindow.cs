namespace Serval.Operator.Rollout.Canary;

/// <summary>One revision's figures over an analysis window, as scraped from its workers.</summary>
/// <param name="Requests">Requests answered in the window.</param>
/// <param name="Errors">Of those, the failed ones (HTTP 5xx).</param>
/// <param name="LatencyP95Milliseconds">The p95 latency over the window, or null when there were no requests.</param>
/// <param name="Duration">How long the window is.</param>
internal sealed record RevisionWindow(long Requests, long Errors, double? LatencyP95Milliseconds, TimeSpan Duration)
{
    /// <summary>Failed requests in percent of all, or 0 without requests.</summary>
    public double ErrorRatePercent => Requests == 0 ? 0 : 100.0 * Errors / Requests;
}
