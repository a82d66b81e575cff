using System.Text.Json.Nodes;
using Serval.LocalCluster.Resources;

namespace Serval.LocalCluster.Apply;

/// <summary>
/// A set of fields in managedFields' fieldsV1 vocabulary: each member is a path of tokens (<c>f:name</c>,
/// <c>k:{"name":"web"}</c> for an item of a keyed list, <c>v:"x"</c> for a set member, <c>.</c> for a list item itself).
/// Only leaves are members; objects are implied by their fields.
/// </summary>
internal sealed class FieldSet
{
    private const char Separator = '\n';

    private readonly HashSet<string> _paths;

    private FieldSet(HashSet<string> paths)
    {
        _paths = paths;
    }

    public static FieldSet Empty => new([]);

    public int Count => _paths.Count;

    public IEnumerable<string[]> Paths => _paths.Select(p => p.Split(Separator));

    public bool Contains(string[] path) => _paths.Contains(string.Join(Separator, path));

    /// <summary>The fields an object sets; <paramref name="includeStatus"/> picks the status part or the rest.</summary>
    public static FieldSet FromObject(JsonObject obj, IListTypes listTypes, bool includeStatus)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            switch (key)
            {
                case "apiVersion" or "kind":
                    continue;
                case "status" when !includeStatus:
                    continue;
                case "metadata":
                    if (includeStatus || value is not JsonObject metadata)
                    {
                        continue;
                    }

                    foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
                    {
                        if (metadata[field] is { } m)
                        {
                            Collect(m, ["metadata", field], "f:metadata\nf:" + field, listTypes, paths);
                        }
                    }

                    continue;
                default:
                    if (includeStatus && key != "status")
                    {
                        continue;
                    }

                    Collect(value, [key], "f:" + key, listTypes, paths);
                    break;
            }
        }

        return new FieldSet(paths);
    }

    /// <summary>The fields of <paramref name="obj"/> (same selection as <see cref="FromObject"/>) that differ from <paramref name="old"/>.</summary>
    public static FieldSet Changed(JsonObject obj, JsonObject old, IListTypes listTypes, bool includeStatus)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            switch (key)
            {
                case "apiVersion" or "kind":
                    continue;
                case "status" when !includeStatus:
                    continue;
                case "metadata":
                    if (includeStatus || value is not JsonObject metadata)
                    {
                        continue;
                    }

                    var oldMetadata = old["metadata"] as JsonObject;
                    foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
                    {
                        if (metadata[field] is { } m)
                        {
                            JsonNode? before = null;
                            var had = oldMetadata?.TryGetPropertyValue(field, out before) ?? false;
                            CollectChanged(m, before, had, ["metadata", field], "f:metadata\nf:" + field, listTypes, paths);
                        }
                    }

                    continue;
                default:
                    if (includeStatus && key != "status")
                    {
                        continue;
                    }

                    var present = old.TryGetPropertyValue(key, out var oldValue);
                    CollectChanged(value, oldValue, present, [key], "f:" + key, listTypes, paths);
                    break;
            }
        }

        return new FieldSet(paths);
    }

    public static FieldSet FromFieldsV1(JsonNode? fieldsV1)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonObject node, List<string> prefix)
        {
            foreach (var (key, child) in node)
            {
                prefix.Add(key);
                if (child is JsonObject o && o.Count > 0)
                {
                    Walk(o, prefix);
                }
                else
                {
                    paths.Add(string.Join(Separator, prefix));
                }

                prefix.RemoveAt(prefix.Count - 1);
            }
        }

        if (fieldsV1 is JsonObject root)
        {
            Walk(root, []);
        }

        return new FieldSet(paths);
    }

    public JsonObject ToFieldsV1()
    {
        var root = new JsonObject();
        foreach (var path in _paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var token in path.Split(Separator))
            {
                if (node[token] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[token] = child;
                }

                node = child;
            }
        }

        return root;
    }

    public FieldSet Union(FieldSet other) => new(_paths.Union(other._paths, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal));

    public FieldSet Except(FieldSet other) => new(_paths.Except(other._paths, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal));

    public FieldSet Intersect(FieldSet other) => new(_paths.Intersect(other._paths, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal));

    public FieldSet Where(Func<string[], bool> predicate) =>
        new(_paths.Where(p => predicate(p.Split(Separator))).ToHashSet(StringComparer.Ordinal));

    /// <summary>The value a path reaches in an object, if it exists.</summary>
    public static bool TryGetValue(JsonNode? root, string[] path, IListTypes listTypes, out JsonNode? value)
    {
        value = root;
        var fields = new List<string>();
        foreach (var token in path)
        {
            if (token == ".")
            {
                continue;
            }

            if (!TryStep(value, token, listTypes.Resolve(fields), out value, out _))
            {
                return false;
            }

            if (token.StartsWith("f:", StringComparison.Ordinal))
            {
                fields.Add(token[2..]);
            }
        }

        return true;
    }

    /// <summary>Removes the field or list item a path names; false when it is not there.</summary>
    public static bool Remove(JsonNode root, string[] path, IListTypes listTypes)
    {
        var effective = path[^1] == "." ? path[..^1] : path;
        if (effective.Length == 0)
        {
            return false;
        }

        JsonNode? parent = root;
        var fields = new List<string>();
        foreach (var token in effective[..^1])
        {
            if (!TryStep(parent, token, listTypes.Resolve(fields), out parent, out _))
            {
                return false;
            }

            if (token.StartsWith("f:", StringComparison.Ordinal))
            {
                fields.Add(token[2..]);
            }
        }

        var last = effective[^1];
        if (last.StartsWith("f:", StringComparison.Ordinal))
        {
            return parent is JsonObject o && o.Remove(last[2..]);
        }

        if (parent is JsonArray array && TryStep(array, last, listTypes.Resolve(fields), out _, out var index))
        {
            array.RemoveAt(index);
            return true;
        }

        return false;
    }

    /// <summary>The kube-style printable form of a path: <c>.spec.containers[name="web"].image</c>.</summary>
    public static string Describe(string[] path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var token in path)
        {
            if (token.StartsWith("f:", StringComparison.Ordinal))
            {
                text.Append('.').Append(token[2..]);
            }
            else if (token.StartsWith("k:", StringComparison.Ordinal) && JsonNode.Parse(token[2..]) is JsonObject keys)
            {
                text.Append('[').Append(string.Join(",", keys.Select(k => $"{k.Key}={k.Value?.ToJsonString()}"))).Append(']');
            }
            else if (token.StartsWith("v:", StringComparison.Ordinal))
            {
                text.Append('[').Append(token[2..]).Append(']');
            }
        }

        return text.ToString();
    }

    private static bool TryStep(JsonNode? node, string token, ListType listType, out JsonNode? next, out int index)
    {
        next = null;
        index = -1;
        if (token.StartsWith("f:", StringComparison.Ordinal))
        {
            return node is JsonObject o && o.TryGetPropertyValue(token[2..], out next);
        }

        if (node is not JsonArray array)
        {
            return false;
        }

        if (token.StartsWith("k:", StringComparison.Ordinal))
        {
            if (JsonNode.Parse(token[2..]) is not JsonObject keys)
            {
                return false;
            }

            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonObject item && keys.All(k => JsonNode.DeepEquals(
                        item[k.Key] ?? (listType.KeyDefaults.TryGetValue(k.Key, out var d) ? JsonValue.Create(d) : null), k.Value)))
                {
                    next = item;
                    index = i;
                    return true;
                }
            }

            return false;
        }

        if (token.StartsWith("v:", StringComparison.Ordinal))
        {
            var wanted = JsonNode.Parse(token[2..]);
            for (var i = 0; i < array.Count; i++)
            {
                if (JsonNode.DeepEquals(array[i], wanted))
                {
                    next = array[i];
                    index = i;
                    return true;
                }
            }

            return false;
        }

        if (token.StartsWith("i:", StringComparison.Ordinal) && int.TryParse(token[2..], out var at) && at < array.Count)
        {
            next = array[at];
            index = at;
            return true;
        }

        return false;
    }

    private static string Child(string prefix, string token) => prefix.Length == 0 ? token : string.Concat(prefix, "\n", token);

    private static void Collect(JsonNode? value, List<string> fieldPath, string prefix, IListTypes listTypes, HashSet<string> paths)
    {
        switch (value)
        {
            case JsonObject o when o.Count > 0:
                foreach (var (key, child) in o)
                {
                    fieldPath.Add(key);
                    Collect(child, fieldPath, Child(prefix, "f:" + key), listTypes, paths);
                    fieldPath.RemoveAt(fieldPath.Count - 1);
                }

                break;
            case JsonArray a when a.Count > 0:
                var type = listTypes.Resolve(fieldPath);
                if (type.IsMap && a.All(i => i is JsonObject))
                {
                    foreach (var item in a.OfType<JsonObject>())
                    {
                        var itemPrefix = Child(prefix, KeyToken(item, type));
                        paths.Add(Child(itemPrefix, "."));
                        CollectItem(item, fieldPath, itemPrefix, listTypes, paths);
                    }
                }
                else if (type.IsSet)
                {
                    foreach (var item in a)
                    {
                        paths.Add(Child(prefix, "v:" + (item?.ToJsonString(Json.JsonObjects.Compact) ?? "null")));
                    }
                }
                else
                {
                    paths.Add(prefix);
                }

                break;
            default:
                paths.Add(prefix);
                break;
        }
    }

    private static void CollectItem(JsonObject item, List<string> fieldPath, string itemPrefix, IListTypes listTypes, HashSet<string> paths)
    {
        foreach (var (key, child) in item)
        {
            fieldPath.Add(key);
            Collect(child, fieldPath, Child(itemPrefix, "f:" + key), listTypes, paths);
            fieldPath.RemoveAt(fieldPath.Count - 1);
        }
    }

    /// <summary>
    /// The fields of <paramref name="value"/> that are new or hold a different value than in <paramref name="old"/>, found in
    /// one walk of both (a keyed list item's "." counts as changed only when the item itself is new).
    /// </summary>
    private static void CollectChanged(JsonNode? value, JsonNode? old, bool oldPresent, List<string> fieldPath, string prefix,
        IListTypes listTypes, HashSet<string> paths)
    {
        if (!oldPresent)
        {
            Collect(value, fieldPath, prefix, listTypes, paths);
            return;
        }

        switch (value)
        {
            case JsonObject o when o.Count > 0 && old is JsonObject oldObject:
                foreach (var (key, child) in o)
                {
                    fieldPath.Add(key);
                    var had = oldObject.TryGetPropertyValue(key, out var oldChild);
                    CollectChanged(child, oldChild, had, fieldPath, Child(prefix, "f:" + key), listTypes, paths);
                    fieldPath.RemoveAt(fieldPath.Count - 1);
                }

                return;
            case JsonArray a when a.Count > 0 && old is JsonArray oldArray:
                var type = listTypes.Resolve(fieldPath);
                if (type.IsMap && a.All(i => i is JsonObject) && oldArray.All(i => i is JsonObject))
                {
                    var oldItems = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
                    foreach (var oldItem in oldArray.OfType<JsonObject>())
                    {
                        oldItems.TryAdd(KeyToken(oldItem, type), oldItem);
                    }

                    foreach (var item in a.OfType<JsonObject>())
                    {
                        var token = KeyToken(item, type);
                        var itemPrefix = Child(prefix, token);
                        if (!oldItems.TryGetValue(token, out var oldItem))
                        {
                            paths.Add(Child(itemPrefix, "."));
                            CollectItem(item, fieldPath, itemPrefix, listTypes, paths);
                            continue;
                        }

                        foreach (var (key, child) in item)
                        {
                            fieldPath.Add(key);
                            var had = oldItem.TryGetPropertyValue(key, out var oldChild);
                            CollectChanged(child, oldChild, had, fieldPath, Child(itemPrefix, "f:" + key), listTypes, paths);
                            fieldPath.RemoveAt(fieldPath.Count - 1);
                        }
                    }

                    return;
                }

                if (type.IsSet)
                {
                    foreach (var item in a.Where(i => !oldArray.Any(o => JsonNode.DeepEquals(o, i))))
                    {
                        paths.Add(Child(prefix, "v:" + (item?.ToJsonString(Json.JsonObjects.Compact) ?? "null")));
                    }

                    return;
                }

                break;
        }

        if (!JsonNode.DeepEquals(value, old))
        {
            Collect(value, fieldPath, prefix, listTypes, paths);
        }
    }

    public static string KeyToken(JsonObject item, ListType type)
    {
        var key = new JsonObject();
        foreach (var k in type.Keys.Order(StringComparer.Ordinal))
        {
            if (item[k] is { } v)
            {
                key[k] = v.DeepClone();
            }
            else if (type.KeyDefaults.TryGetValue(k, out var fallback))
            {
                key[k] = fallback;
            }
        }

        return "k:" + key.ToJsonString(Json.JsonObjects.Compact);
    }
}
