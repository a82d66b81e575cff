using Serval.Api.V1Alpha1;
using Serval.Controllers.Cache;

namespace Serval.Operator.Status;

/// <summary>
/// Measurements other parts of the operator (the autoscaler's scraper) contribute to an InferenceService's
/// status and to canary analysis. Read during each reconcile; the reconciler alone writes the status, and only
/// when it changed. Implementations return their latest figures (null when none) and must be thread-safe;
/// to get new figures into the status they enqueue the service (see <see cref="Hosting.OperatorHost.Enqueue"/>).
/// </summary>
public interface IRevisionObservations
{
    /// <summary>status.metrics of <paramref name="service"/>.</summary>
    MetricsStatus? Metrics(ObjectKey service);

    /// <summary>status.autoscaling of <paramref name="service"/>.</summary>
    AutoscalingStatus? Autoscaling(ObjectKey service);

    /// <summary>Measurements of one revision (by hash), the input of canary analysis.</summary>
    MetricsStatus? RevisionMetrics(ObjectKey service, string revision);
}
