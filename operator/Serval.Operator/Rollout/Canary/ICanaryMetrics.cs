using Serval.Controllers.Cache;

namespace Serval.Operator.Rollout.Canary;

/// <summary>
/// Per-revision figures for canary analysis, from the workers' <c>/metrics</c>. Implementations keep what they
/// scraped in memory; reading must not block (it runs inside a reconcile) and must be thread-safe.
/// </summary>
internal interface ICanaryMetrics
{
    /// <summary>
    /// The revision's requests, errors and p95 latency from <paramref name="since"/> to now, summed over its pods, or
    /// null when nothing was scraped yet. A window shorter than asked for (the scraper started later) has a shorter
    /// <see cref="RevisionWindow.Duration"/>.
    /// </summary>
    RevisionWindow? Window(ObjectKey service, string revision, DateTimeOffset since);
}
