using Serval.Controllers.Cache;
using Serval.Operator.Status;

namespace Serval.Operator.Rollout.Canary;

/// <summary>
/// Canary windows from the scraper's per-revision figures (<see cref="IRevisionObservations.RevisionMetrics"/>):
/// those are rates over the scraper's own trailing window, so the requests in the analysis window are estimated as
/// rate × the window's length. Figures measured before the window opened are not used: a step is never judged on
/// traffic that went to an earlier step.
/// </summary>
internal sealed class ObservedCanaryMetrics(IRevisionObservations observations, TimeProvider time) : ICanaryMetrics
{
    public RevisionWindow? Window(ObjectKey service, string revision, DateTimeOffset since)
    {
        var figures = observations.RevisionMetrics(service, revision);
        if (figures?.ObservedAt is not { } observed || new DateTimeOffset(DateTime.SpecifyKind(observed, DateTimeKind.Utc)) <= since)
        {
            return null;
        }

        var duration = time.GetUtcNow() - since;
        if (duration <= TimeSpan.Zero)
        {
            return null;
        }

        var requests = (long)Math.Round((figures.RequestsPerSecond ?? 0) * duration.TotalSeconds);
        var errors = (long)Math.Round(requests * (figures.ErrorRatePercent ?? 0) / 100);
        return new RevisionWindow(requests, errors, figures.LatencyP95Milliseconds, duration);
    }
}
