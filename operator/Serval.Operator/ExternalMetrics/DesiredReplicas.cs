namespace Serval.Operator.ExternalMetrics;

/// <summary>The autoscaler's latest decision for a revision, as served to its HPA.</summary>
/// <param name="Replicas">The decided replica count.</param>
/// <param name="DecidedAt">When it was decided.</param>
internal sealed record DesiredReplicas(int Replicas, DateTimeOffset DecidedAt);
