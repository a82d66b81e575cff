using Serval.Api.V1Alpha1;
using Serval.Operator.Rollout;

namespace Serval.Operator.Status;

/// <summary>What the status of one InferenceService is computed from.</summary>
/// <param name="Service">The InferenceService with its current status.</param>
/// <param name="Spec">Its resolved spec.</param>
/// <param name="Plan">The rollout plan of this reconcile.</param>
/// <param name="Revisions">Observations of existing revisions by hash.</param>
/// <param name="Problems">Pod problems by revision hash (only revisions with one).</param>
/// <param name="Url">status.url.</param>
/// <param name="RouteProblem">With a Gateway: why the HTTPRoute does not carry traffic, or null when it does.</param>
/// <param name="Metrics">status.metrics from the observations.</param>
/// <param name="Autoscaling">status.autoscaling from the observations.</param>
/// <param name="Now">The current time.</param>
public sealed record StatusInput(
    InferenceService Service,
    ResolvedSpec Spec,
    RolloutPlan Plan,
    IReadOnlyDictionary<string, RevisionObservation> Revisions,
    IReadOnlyDictionary<string, PodProblem> Problems,
    string Url,
    PodProblem? RouteProblem,
    MetricsStatus? Metrics,
    AutoscalingStatus? Autoscaling,
    DateTimeOffset Now);
