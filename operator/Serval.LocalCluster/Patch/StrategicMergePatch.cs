using System.Text.Json.Nodes;
using Serval.LocalCluster.Resources;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Patch;

/// <summary>
/// Strategic merge patch as kubectl's client-side apply produces it: lists with a merge key merge item by item,
/// <c>$patch: replace|delete</c>, <c>$retainKeys</c>, <c>$setElementOrder/field</c> and
/// <c>$deleteFromPrimitiveList/field</c> directives; other lists are replaced whole.
/// </summary>
internal sealed class StrategicMergePatch(IListTypes listTypes)
{
    private const string PatchDirective = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    public JsonObject Apply(JsonObject original, JsonObject patch) =>
        MergeMap(original, patch, []) ?? new JsonObject();

    private JsonObject? MergeMap(JsonObject? original, JsonObject patch, List<string> path)
    {
        var directive = (patch[PatchDirective] as JsonValue)?.GetValue<string>();
        if (directive == "delete")
        {
            return null;
        }

        if (directive == "replace")
        {
            return Strip(patch);
        }

        if (directive is not null and not "merge")
        {
            throw ApiException.BadRequest($"strategic merge patch: unknown $patch directive \"{directive}\" at {Describe(path)}");
        }

        var result = original ?? new JsonObject();
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveList.Length..];
                if (result[field] is JsonArray list && value is JsonArray remove)
                {
                    foreach (var item in list.Where(i => remove.Any(r => JsonNode.DeepEquals(i, r))).ToList())
                    {
                        list.Remove(item);
                    }
                }

                continue;
            }

            if (key == PatchDirective || key == RetainKeys || key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                continue;
            }

            path.Add(key);
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonObject childPatch)
            {
                var merged = MergeMap(result[key] as JsonObject, childPatch, path);
                if (merged is null)
                {
                    result.Remove(key);
                }
                else if (!ReferenceEquals(merged, result[key]))
                {
                    result[key] = merged;
                }
            }
            else if (value is JsonArray listPatch)
            {
                result[key] = MergeList(result[key] as JsonArray, listPatch, path);
            }
            else
            {
                result[key] = value.DeepClone();
            }

            path.RemoveAt(path.Count - 1);
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrder, StringComparison.Ordinal) && value is JsonArray order)
            {
                var field = key[SetElementOrder.Length..];
                path.Add(field);
                if (result[field] is JsonArray list)
                {
                    result[field] = Reorder(list, order, listTypes.Resolve(path));
                }

                path.RemoveAt(path.Count - 1);
            }
        }

        if (patch[RetainKeys] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        return result;
    }

    private JsonArray MergeList(JsonArray? original, JsonArray patch, List<string> path)
    {
        var type = listTypes.Resolve(path);
        if (patch.OfType<JsonObject>().Any(i => (i[PatchDirective] as JsonValue)?.GetValue<string>() == "replace"))
        {
            return new JsonArray(patch.Where(i => !(i is JsonObject o && o.ContainsKey(PatchDirective) && o.Count == 1))
                .Select(i => i is JsonObject o ? Strip(o) : i?.DeepClone()).ToArray());
        }

        if (type.IsSet || (type.PatchMergeKey is null && path is ["metadata", "finalizers"]))
        {
            var merged = original is null ? new JsonArray() : (JsonArray)original.DeepClone();
            foreach (var item in patch)
            {
                if (!merged.Any(m => JsonNode.DeepEquals(m, item)))
                {
                    merged.Add(item?.DeepClone());
                }
            }

            return merged;
        }

        if (type.PatchMergeKey is not { } mergeKey)
        {
            return new JsonArray(patch.Select(i => i is JsonObject o ? Strip(o) : i?.DeepClone()).ToArray());
        }

        var result = original is null ? new JsonArray() : (JsonArray)original.DeepClone();
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem)
            {
                throw ApiException.BadRequest($"strategic merge patch: {Describe(path)} items must be objects with merge key \"{mergeKey}\"");
            }

            var keyValue = patchItem[mergeKey];
            var index = FindIndex(result, mergeKey, keyValue);
            var itemDirective = (patchItem[PatchDirective] as JsonValue)?.GetValue<string>();
            if (itemDirective == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                var merged = MergeMap(result[index] as JsonObject, patchItem, path);
                if (merged is null)
                {
                    result.RemoveAt(index);
                }
            }
            else
            {
                result.Add(Strip(patchItem));
            }
        }

        return result;
    }

    private static JsonArray Reorder(JsonArray list, JsonArray order, ListType type)
    {
        var items = list.Select(i => i?.DeepClone()).ToList();
        int Rank(JsonNode? item)
        {
            for (var i = 0; i < order.Count; i++)
            {
                var matches = type.PatchMergeKey is { } key
                    ? item is JsonObject o && JsonNode.DeepEquals(o[key], (order[i] as JsonObject)?[key])
                    : JsonNode.DeepEquals(item, order[i]);
                if (matches)
                {
                    return i;
                }
            }

            return int.MaxValue;
        }

        var sorted = items.Select((item, position) => (item, position, rank: Rank(item)))
            .OrderBy(x => x.rank).ThenBy(x => x.position).Select(x => x.item).ToArray();
        return new JsonArray(sorted);
    }

    private static int FindIndex(JsonArray list, string key, JsonNode? value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject o && JsonNode.DeepEquals(o[key], value))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A copy of a patch fragment without its directives (what gets stored when nothing merges).</summary>
    private static JsonObject Strip(JsonObject patch)
    {
        var result = new JsonObject();
        foreach (var (key, value) in patch)
        {
            if (key == PatchDirective || key == RetainKeys || key.StartsWith(SetElementOrder, StringComparison.Ordinal)
                || key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal) || value is null)
            {
                continue;
            }

            result[key] = value switch
            {
                JsonObject o => Strip(o),
                JsonArray a => new JsonArray(a.Select(i => i is JsonObject io ? Strip(io) : i?.DeepClone()).ToArray()),
                _ => value.DeepClone(),
            };
        }

        return result;
    }

    private static string Describe(List<string> path) => path.Count == 0 ? "the object" : string.Join(".", path);
}
