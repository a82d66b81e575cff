using Serval.Api.V1Alpha1;

namespace Serval.Operator.Rollout.Canary;

/// <summary>What the spec asks for: the rollout settings and which revision should end up serving.</summary>
/// <param name="Rollout">The resolved <c>spec.rollout</c>.</param>
/// <param name="DesiredRevision">The revision the current spec makes.</param>
/// <param name="StableRevision">The revision serving traffic now, or null before the first one is ready.</param>
internal sealed record CanaryTarget(ResolvedRollout Rollout, string DesiredRevision, string? StableRevision);
