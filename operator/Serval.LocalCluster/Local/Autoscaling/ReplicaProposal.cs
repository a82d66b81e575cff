namespace Serval.LocalCluster.Local.Autoscaling;

/// <summary>What one metric asks for: a replica count and the current value the HPA status reports.</summary>
public sealed record ReplicaProposal(int Replicas, double CurrentValue, int? CurrentUtilization = null);
