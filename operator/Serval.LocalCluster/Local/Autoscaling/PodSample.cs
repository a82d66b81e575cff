namespace Serval.LocalCluster.Local.Autoscaling;

/// <summary>One pod's measured usage of a resource (null when it has no measurement), its request, and whether it is ready.</summary>
public sealed record PodSample(double? Usage, double Request, bool Ready);
