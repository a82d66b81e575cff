using Serval.LocalCluster.Storage;

namespace Serval.LocalCluster.Objects;

/// <summary>One page of a list: the items, the version it reflects, and how to get the next page.</summary>
internal sealed record ListResult(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);
