using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Objects;
using Serval.LocalCluster.Server;
using Serval.LocalCluster.Storage;
using Serval.LocalCluster.Watch;

namespace Serval.LocalCluster.GarbageCollection;

/// <summary>
/// The cluster's garbage collector and namespace controller, fed by every committed change: dependents whose owners
/// are gone are deleted (background), foreground deletion waits for dependents before the owner goes, orphan deletion
/// strips owner references first, and a terminating namespace is emptied before it is removed.
/// </summary>
internal sealed partial class GarbageCollector : IAsyncDisposable
{
    private const string Manager = "generic-garbage-collector";

    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, (string GroupResource, string? Namespace, string Name)> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(string GroupResource, string Key)>> _dependents = new(StringComparer.Ordinal);
    private readonly ObjectService _objects;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _handled;
    private long _queued;

    public GarbageCollector(ObjectService objects, ILogger logger)
    {
        _objects = objects;
        _logger = logger;
    }

    /// <summary>Whether every change so far has been handled (tests wait on it rather than on time).</summary>
    public bool Idle => Interlocked.Read(ref _handled) == Interlocked.Read(ref _queued);

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public void Notify(WatchEvent e)
    {
        Interlocked.Increment(ref _queued);
        _events.Writer.TryWrite(e);
    }

    /// <summary>Indexes objects restored from a state directory and resumes any deletion they were in the middle of.</summary>
    public void Prime()
    {
        var restored = _objects.Store.All.ToList().SelectMany(store => store.List(null).Items).ToList();
        // Every object is known before any is handled, so a dependent is never taken for one whose owner is gone only
        // because its owner comes later in the list.
        foreach (var obj in restored)
        {
            Index(obj);
        }

        foreach (var obj in restored)
        {
            Notify(new WatchEvent(WatchEventType.Modified, obj, null, obj.ResourceVersion));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point of disposing.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            try
            {
                Handle(e);
            }
            catch (ApiException ex)
            {
                LogFailed(_logger, e.Object?.GroupResource ?? string.Empty, e.Object?.Name ?? string.Empty, ex.Message);
            }
            finally
            {
                Interlocked.Increment(ref _handled);
            }
        }
    }

    private void Handle(WatchEvent e)
    {
        var obj = e.Object!;
        if (e.Type == WatchEventType.Deleted)
        {
            Unindex(obj);
            foreach (var dependent in DependentsOf(obj.Uid))
            {
                CollectOrphanedDependent(dependent, obj.Uid);
            }

            foreach (var owner in obj.Owners)
            {
                if (Locate(owner.Uid) is { } o && o.Deleting && o.Finalizers.Contains(GarbageCollectionFinalizers.Foreground))
                {
                    FinishForeground(o);
                }
            }

            if (obj.Namespace is { } ns && _objects.Store.For("namespaces").Get(ns) is { Deleting: true } namespaceObject)
            {
                FinalizeNamespace(namespaceObject);
            }

            return;
        }

        if (e.Previous is not null)
        {
            Unindex(e.Previous);
        }

        Index(obj);
        if (!obj.Deleting)
        {
            // A dependent written after its last owner was deleted (a controller racing the collector, as a ReplicaSet
            // controller creating a pod while its ReplicaSet goes) has nothing left to be collected by: collect it now,
            // as the cluster's collector does for owners it cannot find.
            if (obj.Owners.Count > 0 && obj.Owners.All(o => !_byUid.ContainsKey(o.Uid)))
            {
                Delete(obj, "Background");
            }

            return;
        }

        if (obj.GroupResource == "namespaces")
        {
            FinalizeNamespace(obj);
        }
        else if (obj.Finalizers.Contains(GarbageCollectionFinalizers.Orphan))
        {
            foreach (var dependent in DependentsOf(obj.Uid))
            {
                RemoveOwnerReference(dependent, obj.Uid);
            }

            RemoveFinalizer(obj, GarbageCollectionFinalizers.Orphan);
        }
        else if (obj.Finalizers.Contains(GarbageCollectionFinalizers.Foreground))
        {
            foreach (var dependent in DependentsOf(obj.Uid))
            {
                if (!dependent.Deleting)
                {
                    Delete(dependent, "Foreground");
                }
            }

            FinishForeground(obj);
        }
    }

    private void FinishForeground(StoredObject owner)
    {
        if (DependentsOf(owner.Uid).Count == 0)
        {
            RemoveFinalizer(owner, GarbageCollectionFinalizers.Foreground);
        }
    }

    private void CollectOrphanedDependent(StoredObject dependent, string goneOwner)
    {
        var liveOwners = dependent.Owners.Where(o => o.Uid != goneOwner && _byUid.ContainsKey(o.Uid)).ToList();
        if (liveOwners.Count > 0)
        {
            RemoveOwnerReference(dependent, goneOwner);
        }
        else if (!dependent.Deleting)
        {
            Delete(dependent, "Background");
        }
    }

    private void FinalizeNamespace(StoredObject namespaceObject)
    {
        var ns = namespaceObject.Name;
        var remaining = 0;
        foreach (var type in _objects.Registry.All.Where(t => t.Namespaced && t.IsStorageVersion).DistinctBy(t => t.GroupResource))
        {
            foreach (var item in _objects.Store.For(type.GroupResource).List(ns).Items)
            {
                remaining++;
                if (!item.Deleting)
                {
                    Delete(item, "Background");
                }
            }
        }

        if (remaining > 0)
        {
            return;
        }

        var store = _objects.Store.For("namespaces");
        var current = store.Get(ns);
        if (current is not null && current.Deleting)
        {
            store.Commit(null, ns, current.ResourceVersion, null);
        }
    }

    private void Delete(StoredObject obj, string propagation)
    {
        if (_objects.Registry.StorageType(obj.GroupResource) is not { } type)
        {
            return;
        }

        try
        {
            _objects.Delete(type, obj.Namespace, obj.Name, DeleteOptions.Background with { PropagationPolicy = propagation });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Already gone: nothing left to collect.
        }
    }

    private void RemoveOwnerReference(StoredObject dependent, string ownerUid) =>
        Update(dependent, obj =>
        {
            if (obj.At("metadata", "ownerReferences") is JsonArray refs)
            {
                foreach (var r in refs.OfType<JsonObject>().Where(r => r.StringAt("uid") == ownerUid).ToList())
                {
                    refs.Remove(r);
                }

                if (refs.Count == 0)
                {
                    obj.Metadata().Remove("ownerReferences");
                }
            }
        });

    private void RemoveFinalizer(StoredObject obj, string finalizer) =>
        Update(obj, o =>
        {
            if (o.At("metadata", "finalizers") is JsonArray list)
            {
                foreach (var f in list.Where(f => f?.GetValue<string>() == finalizer).ToList())
                {
                    list.Remove(f);
                }
            }
        });

    private void Update(StoredObject obj, Action<JsonObject> change)
    {
        if (_objects.Registry.StorageType(obj.GroupResource) is not { } type)
        {
            return;
        }

        try
        {
            _objects.Mutate(type, obj.Namespace, obj.Name, null, WriteOptions.Internal(Manager), current =>
            {
                change(current);
                return current;
            }, pinnedByClient: false, recordManager: true);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone meanwhile: the change no longer matters.
        }
    }

    private List<StoredObject> DependentsOf(string uid)
    {
        var result = new List<StoredObject>();
        if (_dependents.TryGetValue(uid, out var keys))
        {
            foreach (var (groupResource, key) in keys)
            {
                if (_objects.Store.For(groupResource).Get(key) is { } dependent && dependent.Owners.Any(o => o.Uid == uid))
                {
                    result.Add(dependent);
                }
            }
        }

        return result;
    }

    private StoredObject? Locate(string uid) =>
        _byUid.TryGetValue(uid, out var at) ? _objects.Store.For(at.GroupResource).Get(StoreKeys.Of(at.Namespace, at.Name)) : null;

    private void Index(StoredObject obj)
    {
        if (obj.Uid.Length > 0)
        {
            _byUid[obj.Uid] = (obj.GroupResource, obj.Namespace, obj.Name);
        }

        foreach (var owner in obj.Owners)
        {
            if (!_dependents.TryGetValue(owner.Uid, out var set))
            {
                set = [];
                _dependents[owner.Uid] = set;
            }

            set.Add((obj.GroupResource, obj.Key));
        }
    }

    private void Unindex(StoredObject obj)
    {
        if (obj.Uid.Length > 0 && _byUid.TryGetValue(obj.Uid, out var at) && at.Name == obj.Name)
        {
            _byUid.Remove(obj.Uid);
        }

        foreach (var owner in obj.Owners)
        {
            if (_dependents.TryGetValue(owner.Uid, out var set))
            {
                set.Remove((obj.GroupResource, obj.Key));
                if (set.Count == 0)
                {
                    _dependents.Remove(owner.Uid);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "garbage collection of {Resource} {Name} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string resource, string name, string reason);
}
