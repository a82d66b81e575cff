using Serval.LocalCluster.Storage;

namespace Serval.LocalCluster.Objects;

/// <summary>
/// The outcome of a write: the object as it now stands (or as it would, under dry run), whether it was created,
/// whether it is gone (an immediate delete), and warnings for the client.
/// </summary>
internal sealed record WriteResult(StoredObject Object, bool Created, bool Gone, IReadOnlyList<string> Warnings);
