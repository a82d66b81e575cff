using Serval.Api.V1Alpha1;

namespace Serval.Operator.Rollout;

/// <summary>
/// Everything a rollout decision may depend on. It is a snapshot: a strategy reads it and returns a
/// <see cref="RolloutDecision"/>; the reconciler does the I/O.
/// </summary>
/// <param name="Service">The InferenceService (read-only).</param>
/// <param name="Spec">Its resolved spec; <c>Spec.Rollout</c> holds steps, interval, analysis limits and the pinned percent.</param>
/// <param name="DesiredRevision">The hash of the current spec: the revision being rolled out.</param>
/// <param name="Stable">The stable revision as the status records it (its name is <c>&lt;isvc&gt;-&lt;hash&gt;</c>).</param>
/// <param name="Canary">
/// The rollout of <see cref="DesiredRevision"/> as the status records it, or null when it has not started.
/// A canary of another revision (superseded by a newer spec) is never passed: the planner retires it first.
/// </param>
/// <param name="Revisions">Observations of the revisions that exist, by hash.</param>
/// <param name="RevisionMetrics">Measured traffic and latency by revision hash (analysis input); empty without measurements.</param>
/// <param name="Now">The current time, from the operator's TimeProvider.</param>
public sealed record RolloutContext(
    InferenceService Service,
    ResolvedSpec Spec,
    string DesiredRevision,
    RevisionStatus Stable,
    CanaryRevisionStatus? Canary,
    IReadOnlyDictionary<string, RevisionObservation> Revisions,
    IReadOnlyDictionary<string, MetricsStatus> RevisionMetrics,
    DateTimeOffset Now)
{
    /// <summary>The stable revision's hash.</summary>
    public string StableRevision => RolloutPlanner.HashOf(Service.Metadata.Name, Stable.Name);

    /// <summary>The desired revision's observation, or null when its Deployment does not exist yet.</summary>
    public RevisionObservation? DesiredObservation => Revisions.GetValueOrDefault(DesiredRevision);
}
