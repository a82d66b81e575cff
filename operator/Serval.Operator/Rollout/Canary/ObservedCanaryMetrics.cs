using Serval.Controllers.Cache;
using Serval.Operator.Status;

namespace Serval.Operator.Rollout.Canary;

/// <summary>
/// Canary windows from per-revision figures (<see cref="IRevisionObservations.RevisionMetrics"/>), for observations
/// that do not offer windows themselves (the operator's autoscaling loop does: <see cref="ICanaryMetrics"/>). Those
/// figures are rates over the source's own trailing window, so the requests in the analysis window are estimated as
/// rate × the window's length, and the p95 and error rate may include traffic from before the window opened; only
/// figures last observed before it opened are refused.
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
