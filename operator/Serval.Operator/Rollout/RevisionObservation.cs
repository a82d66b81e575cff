namespace Serval.Operator.Rollout;

/// <summary>What the operator sees of one existing revision: its Deployment's pods.</summary>
/// <param name="Hash">The revision hash.</param>
/// <param name="Replicas">Pods the Deployment runs.</param>
/// <param name="ReadyReplicas">Pods that are ready.</param>
/// <param name="Ready">True when the revision can take traffic: as many ready pods as it wants, and at least one.</param>
public sealed record RevisionObservation(string Hash, int Replicas, int ReadyReplicas, bool Ready);
