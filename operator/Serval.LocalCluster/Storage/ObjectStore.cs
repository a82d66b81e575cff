using System.Collections.Concurrent;
using Serval.LocalCluster.Watch;

namespace Serval.LocalCluster.Storage;

/// <summary>All storage: one <see cref="ResourceStore"/> per group/resource, sharing one resourceVersion clock.</summary>
internal sealed class ObjectStore(int watchWindow, Action<WatchEvent> onCommit)
{
    private readonly ConcurrentDictionary<string, ResourceStore> _stores = new(StringComparer.Ordinal);

    public ResourceVersionClock Clock { get; } = new();

    public ResourceStore For(string groupResource) =>
        _stores.GetOrAdd(groupResource, gr => new ResourceStore(gr, Clock, watchWindow, onCommit));

    public IEnumerable<ResourceStore> All => _stores.Values;

    /// <summary>Removes a resource's storage (its CRD was deleted), deleting its objects first.</summary>
    public List<StoredObject> Drop(string groupResource) =>
        _stores.TryRemove(groupResource, out var store) ? store.Drop() : [];

    public void CloseAllWatchers()
    {
        foreach (var s in _stores.Values)
        {
            s.CloseWatchers();
        }
    }
}
