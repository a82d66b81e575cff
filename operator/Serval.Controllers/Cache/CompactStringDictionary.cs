using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Serval.Controllers.Cache;

/// <summary>
/// A small, read-only string map in one array (keys and values alternating), for the labels and annotations of
/// cached objects: a dictionary of two entries takes about 210 bytes, this about 80, and the caches of a large
/// fleet hold tens of thousands. Lookups scan, which for the handful of labels an object carries is as fast as
/// hashing. Cached objects are shared with every reader, so changing one throws: copy the map first.
/// </summary>
public sealed class CompactStringDictionary : IDictionary<string, string>, IReadOnlyDictionary<string, string>
{
    private const string ReadOnly = "the labels and annotations of a cached object are shared with every reader: copy the map before changing it";

    private readonly string[] _items;

    private CompactStringDictionary(string[] items) => _items = items;

    public int Count => _items.Length / 2;

    public bool IsReadOnly => true;

    public ICollection<string> Keys => [.. Pairs().Select(p => p.Key)];

    public ICollection<string> Values => [.. Pairs().Select(p => p.Value)];

    IEnumerable<string> IReadOnlyDictionary<string, string>.Keys => Keys;

    IEnumerable<string> IReadOnlyDictionary<string, string>.Values => Values;

    public string this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no key '{key}'");
        set => throw new NotSupportedException(ReadOnly);
    }

    /// <summary>A copy of <paramref name="map"/> (in its order), or null for null.</summary>
    [return: NotNullIfNotNull(nameof(map))]
    public static IDictionary<string, string>? Of(IDictionary<string, string>? map)
    {
        if (map is null or CompactStringDictionary)
        {
            return map;
        }

        var items = new string[map.Count * 2];
        var i = 0;
        foreach (var (key, value) in map)
        {
            items[i++] = key;
            items[i++] = value;
        }

        return new CompactStringDictionary(items);
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < _items.Length; i += 2)
        {
            if (string.Equals(_items[i], key, StringComparison.Ordinal))
            {
                value = _items[i + 1];
                return true;
            }
        }

        value = null;
        return false;
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool Contains(KeyValuePair<string, string> item) => TryGetValue(item.Key, out var value) && value == item.Value;

    public void CopyTo(KeyValuePair<string, string>[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        foreach (var pair in Pairs())
        {
            array[arrayIndex++] = pair;
        }
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Pairs().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Add(string key, string value) => throw new NotSupportedException(ReadOnly);

    public void Add(KeyValuePair<string, string> item) => throw new NotSupportedException(ReadOnly);

    public bool Remove(string key) => throw new NotSupportedException(ReadOnly);

    public bool Remove(KeyValuePair<string, string> item) => throw new NotSupportedException(ReadOnly);

    public void Clear() => throw new NotSupportedException(ReadOnly);

    private IEnumerable<KeyValuePair<string, string>> Pairs()
    {
        for (var i = 0; i < _items.Length; i += 2)
        {
            yield return new KeyValuePair<string, string>(_items[i], _items[i + 1]);
        }
    }
}
