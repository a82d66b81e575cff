namespace Serval.LocalCluster.Resources;

/// <summary>Where the scale subresource reads and writes replicas, as JSON paths without the leading dot (CRD style).</summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);
