using Serval.Api.V1Alpha1;
using Serval.Controllers.Cache;

namespace Serval.Operator.Status;

/// <summary>No measurements: status.metrics and status.autoscaling stay empty.</summary>
public sealed class NoRevisionObservations : IRevisionObservations
{
    public static NoRevisionObservations Instance { get; } = new();

    public MetricsStatus? Metrics(ObjectKey service) => null;

    public AutoscalingStatus? Autoscaling(ObjectKey service) => null;

    public MetricsStatus? RevisionMetrics(ObjectKey service, string revision) => null;
}
