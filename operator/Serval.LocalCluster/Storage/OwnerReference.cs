namespace Serval.LocalCluster.Storage;

/// <summary>The parts of metadata.ownerReferences[] the garbage collector reads.</summary>
public sealed record OwnerReference(string ApiVersion, string Kind, string Name, string Uid, bool Controller, bool BlockOwnerDeletion);
