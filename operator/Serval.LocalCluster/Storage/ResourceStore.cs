using System.Globalization;
using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Server;
using Serval.LocalCluster.Watch;

namespace Serval.LocalCluster.Storage;

/// <summary>
/// The objects of one group/resource, its recent change history (the watch window) and its watchers. One lock per
/// resource keeps commits, history and fan-out in resourceVersion order; the version itself comes from the shared clock,
/// drawn inside the lock, so each resource's history is strictly increasing.
/// </summary>
internal sealed class ResourceStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredObject> _objects = new(StringComparer.Ordinal);
    private readonly List<Watcher> _watchers = [];
    private readonly WatchEvent?[] _history;
    private readonly ResourceVersionClock _clock;
    private readonly Action<WatchEvent> _onCommit;
    private int _historyStart;
    private int _historyCount;
    private long _evictedUpTo;

    public ResourceStore(string groupResource, ResourceVersionClock clock, int window, Action<WatchEvent> onCommit)
    {
        GroupResource = groupResource;
        _clock = clock;
        _history = new WatchEvent?[Math.Max(1, window)];
        _onCommit = onCommit;
    }

    public string GroupResource { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _objects.Count;
            }
        }
    }

    public StoredObject? Get(string key)
    {
        lock (_lock)
        {
            return _objects.GetValueOrDefault(key);
        }
    }

    /// <summary>A consistent snapshot (optionally of one namespace) and the version it reflects.</summary>
    public (List<StoredObject> Items, long ResourceVersion) List(string? ns)
    {
        lock (_lock)
        {
            var items = new List<StoredObject>(ns is null ? _objects.Count : 16);
            foreach (var o in _objects.Values)
            {
                if (ns is null || o.Namespace == ns)
                {
                    items.Add(o);
                }
            }

            return (items, _clock.Current);
        }
    }

    /// <summary>
    /// Commits <paramref name="obj"/>, or deletes the object when <paramref name="delete"/> is set or obj is null (obj,
    /// when given, is then its last state, as the DELETED event shows it). <paramref name="expected"/>: null for
    /// "must not exist", a version for "must be exactly this version". The change gets the next resourceVersion.
    /// </summary>
    public (WriteOutcome Outcome, StoredObject? Result, StoredObject? Current) Commit(string? ns, string name, long? expected, JsonObject? obj,
        bool delete = false)
    {
        var key = StoreKeys.Of(ns, name);
        delete |= obj is null;
        var facts = delete ? null : ObjectFacts.Of(obj!);
        lock (_lock)
        {
            var current = _objects.GetValueOrDefault(key);
            if (expected is null && current is not null)
            {
                return (WriteOutcome.AlreadyExists, null, current);
            }

            if (expected is not null)
            {
                if (current is null)
                {
                    return (WriteOutcome.NotFound, null, null);
                }

                if (current.ResourceVersion != expected)
                {
                    return (WriteOutcome.Conflict, null, current);
                }
            }

            var rv = _clock.Next();
            StoredObject stored;
            WatchEventType type;
            if (delete)
            {
                var last = obj ?? current!.ToJson();
                last.Metadata()["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
                stored = new StoredObject(GroupResource, ns, name, rv, last.ToUtf8(), ObjectFacts.Of(last));
                _objects.Remove(key);
                type = WatchEventType.Deleted;
            }
            else
            {
                var written = obj!;
                written.Metadata()["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
                stored = new StoredObject(GroupResource, ns, name, rv, written.ToUtf8(), facts!);
                _objects[key] = stored;
                type = current is null ? WatchEventType.Added : WatchEventType.Modified;
            }

            Publish(new WatchEvent(type, stored, current, rv));
            return (WriteOutcome.Committed, stored, current);
        }
    }

    /// <summary>Puts an object back as loaded from a state directory: no event, version kept.</summary>
    public void Restore(StoredObject obj)
    {
        lock (_lock)
        {
            _objects[obj.Key] = obj;
            _evictedUpTo = Math.Max(_evictedUpTo, obj.ResourceVersion);
        }
    }

    /// <summary>
    /// Registers a watcher. With <paramref name="from"/> null it first receives every current object as ADDED; otherwise
    /// every retained change after that version, or 410 Expired when the window no longer reaches back that far.
    /// </summary>
    public void Subscribe(Watcher watcher, long? from, bool initialEventsEndBookmark)
    {
        lock (_lock)
        {
            if (from is null)
            {
                foreach (var o in _objects.Values.OrderBy(o => o.Key, StringComparer.Ordinal))
                {
                    if (watcher.Selects(o))
                    {
                        watcher.Enqueue(new WatchEvent(WatchEventType.Added, o, null, o.ResourceVersion));
                    }
                }

                if (initialEventsEndBookmark)
                {
                    watcher.Enqueue(new WatchEvent(WatchEventType.Bookmark, null, null, _clock.Current) { InitialEventsEnd = true });
                }
            }
            else
            {
                if (from.Value < _evictedUpTo)
                {
                    throw ApiException.Gone(string.Create(CultureInfo.InvariantCulture,
                        $"too old resource version: {from.Value} ({_evictedUpTo + 1})"));
                }

                for (var i = 0; i < _historyCount; i++)
                {
                    var e = _history[(_historyStart + i) % _history.Length]!;
                    if (e.ResourceVersion > from.Value)
                    {
                        watcher.Offer(e);
                    }
                }
            }

            _watchers.Add(watcher);
        }
    }

    public void Unsubscribe(Watcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }
    }

    /// <summary>Queues a bookmark at the latest version for one watcher, in order with its other events.</summary>
    public void Bookmark(Watcher watcher)
    {
        lock (_lock)
        {
            watcher.Enqueue(new WatchEvent(WatchEventType.Bookmark, null, null, _clock.Current));
        }
    }

    /// <summary>Ends every open watch (fault injection, or the resource going away).</summary>
    public void CloseWatchers()
    {
        lock (_lock)
        {
            foreach (var w in _watchers)
            {
                w.Close();
            }

            _watchers.Clear();
        }
    }

    /// <summary>Deletes everything (the CRD went away): watchers see each deletion, then are closed.</summary>
    public List<StoredObject> Drop()
    {
        var removed = new List<StoredObject>();
        lock (_lock)
        {
            foreach (var key in _objects.Keys.ToList())
            {
                var current = _objects[key];
                var (_, result, _) = CommitLocked(current);
                removed.Add(result);
            }
        }

        CloseWatchers();
        return removed;
    }

    private (WriteOutcome, StoredObject, StoredObject) CommitLocked(StoredObject current)
    {
        var rv = _clock.Next();
        var last = current.ToJson();
        last.Metadata()["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        var stored = new StoredObject(GroupResource, current.Namespace, current.Name, rv, last.ToUtf8(), ObjectFacts.Of(last));
        _objects.Remove(current.Key);
        Publish(new WatchEvent(WatchEventType.Deleted, stored, current, rv));
        return (WriteOutcome.Committed, stored, current);
    }

    private void Publish(WatchEvent e)
    {
        if (_historyCount == _history.Length)
        {
            _evictedUpTo = _history[_historyStart]!.ResourceVersion;
            _history[_historyStart] = e;
            _historyStart = (_historyStart + 1) % _history.Length;
        }
        else
        {
            _history[(_historyStart + _historyCount) % _history.Length] = e;
            _historyCount++;
        }

        foreach (var w in _watchers)
        {
            w.Offer(e);
        }

        _watchers.RemoveAll(w => w.Overflowed);
        _onCommit(e);
    }
}
