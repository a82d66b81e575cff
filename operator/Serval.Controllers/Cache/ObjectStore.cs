using k8s;
using k8s.Models;

namespace Serval.Controllers.Cache;

/// <summary>
/// The thread-safe, indexed map behind an informer. An index value names one object far more often than several (in
/// one kind's cache, a revision label or an owner's uid belongs to one object), so a lone key is stored as itself and
/// a set is made only when a second key shares the value: at 1,000 services that is 12,000 sets fewer.
/// </summary>
internal sealed class ObjectStore<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, T> _items = [];
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = [];
    private readonly Dictionary<string, Dictionary<string, object>> _indexes = [];

    public ObjectStore()
    {
        AddIndexer(CacheIndexes.Namespace, CacheIndexes.ByNamespace);
        AddIndexer(CacheIndexes.ControllerUid, CacheIndexes.ByControllerUid);
        AddIndexer(CacheIndexes.Label, CacheIndexes.ByLabel);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public void AddIndexer(string name, Func<T, IEnumerable<string>> indexer)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(indexer);
        lock (_gate)
        {
            if (_indexers.ContainsKey(name))
            {
                throw new ArgumentException($"An index named '{name}' already exists.", nameof(name));
            }

            _indexers[name] = indexer;
            var index = new Dictionary<string, object>(StringComparer.Ordinal);
            _indexes[name] = index;
            foreach (var (key, item) in _items)
            {
                AddToIndex(index, indexer, key, item);
            }
        }
    }

    public T? Get(ObjectKey key)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public IReadOnlyList<T> List()
    {
        lock (_gate)
        {
            return [.. _items.Values];
        }
    }

    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        lock (_gate)
        {
            if (!_indexes.TryGetValue(indexName, out var index))
            {
                throw new ArgumentException(
                    $"No index named '{indexName}'; known: {string.Join(", ", _indexes.Keys.Order(StringComparer.Ordinal))}.",
                    nameof(indexName));
            }

            return index.TryGetValue(value, out var keys) switch
            {
                false => [],
                true when keys is ObjectKey key => [_items[key]],
                _ => [.. ((HashSet<ObjectKey>)keys).Select(k => _items[k])],
            };
        }
    }

    /// <summary>Inserts or replaces; returns the previous object.</summary>
    public T? Upsert(T obj)
    {
        var key = ObjectKey.Of(obj);
        lock (_gate)
        {
            var old = RemoveLocked(key);
            _items[key] = obj;
            foreach (var (name, indexer) in _indexers)
            {
                AddToIndex(_indexes[name], indexer, key, obj);
            }

            return old;
        }
    }

    /// <summary>Removes; returns the removed object, or null when it was not there.</summary>
    public T? Remove(ObjectKey key)
    {
        lock (_gate)
        {
            return RemoveLocked(key);
        }
    }

    /// <summary>
    /// Makes the store hold exactly <paramref name="items"/> and reports what changed: objects
    /// that are new, objects whose resourceVersion moved, and objects that vanished.
    /// </summary>
    public IReadOnlyList<StoreChange<T>> Replace(IEnumerable<T> items)
    {
        var changes = new List<StoreChange<T>>();
        lock (_gate)
        {
            var seen = new HashSet<ObjectKey>();
            foreach (var item in items)
            {
                var key = ObjectKey.Of(item);
                seen.Add(key);
                var old = RemoveLocked(key);
                _items[key] = item;
                foreach (var (name, indexer) in _indexers)
                {
                    AddToIndex(_indexes[name], indexer, key, item);
                }

                if (old is null)
                {
                    changes.Add(new StoreChange<T>(StoreChangeType.Added, null, item));
                }
                else if (old.Metadata?.ResourceVersion != item.Metadata?.ResourceVersion)
                {
                    changes.Add(new StoreChange<T>(StoreChangeType.Updated, old, item));
                }
            }

            foreach (var key in _items.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                var gone = RemoveLocked(key)!;
                changes.Add(new StoreChange<T>(StoreChangeType.Deleted, gone, gone));
            }
        }

        return changes;
    }

    private T? RemoveLocked(ObjectKey key)
    {
        if (!_items.Remove(key, out var old))
        {
            return null;
        }

        foreach (var (name, indexer) in _indexers)
        {
            var index = _indexes[name];
            foreach (var value in indexer(old))
            {
                RemoveFromIndex(index, value, key);
            }
        }

        return old;
    }

    private static void AddToIndex(
        Dictionary<string, object> index, Func<T, IEnumerable<string>> indexer, ObjectKey key, T item)
    {
        foreach (var value in indexer(item))
        {
            if (!index.TryGetValue(value, out var keys))
            {
                index[value] = key;
            }
            else if (keys is HashSet<ObjectKey> set)
            {
                set.Add(key);
            }
            else if (!key.Equals(keys))
            {
                index[value] = new HashSet<ObjectKey> { (ObjectKey)keys, key };
            }
        }
    }

    private static void RemoveFromIndex(Dictionary<string, object> index, string value, ObjectKey key)
    {
        if (!index.TryGetValue(value, out var keys))
        {
            return;
        }

        if (keys is HashSet<ObjectKey> set)
        {
            if (set.Remove(key) && set.Count == 1)
            {
                index[value] = set.First();
            }
        }
        else if (key.Equals(keys))
        {
            index.Remove(value);
        }
    }
}
