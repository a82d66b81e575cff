using System.Text.Json.Nodes;
using Serval.LocalCluster.Admission.Schema;

namespace Serval.LocalCluster.Admission.Validation;

/// <summary>
/// Refuses duplicates in <c>x-kubernetes-list-type: set</c> lists and duplicate keys in <c>map</c> lists,
/// reporting each later duplicate at its index as the API server does.
/// </summary>
internal static class ListTypeValidator
{
    public static void Validate(SchemaNode s, JsonArray array, string path, List<FieldError> errors)
    {
        switch (s.ListType)
        {
            case "set":
                ValidateSet(array, path, errors);
                break;
            case "map":
                ValidateMap(s.ListMapKeys, array, path, errors);
                break;
        }
    }

    private static void ValidateSet(JsonArray array, string path, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (!seen.Add(JsonValues.CanonicalKey(array[i])))
            {
                var item = array[i];
                errors.Add(FieldErrors.Duplicate(FieldPaths.Index(path, i), item is JsonValue v ? JsonValues.ToScalar(v) : item));
            }
        }
    }

    private static void ValidateMap(IReadOnlyList<string> keys, JsonArray array, string path, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item)
            {
                continue;
            }

            var key = KeyOf(keys, item);
            if (!seen.Add(JsonValues.CanonicalKey(key)))
            {
                errors.Add(FieldErrors.Duplicate(FieldPaths.Index(path, i), key));
            }
        }
    }

    /// <summary>The item's key fields alone, as the API server prints a duplicate map-list entry.</summary>
    public static JsonObject KeyOf(IReadOnlyList<string> keys, JsonObject item)
    {
        var key = new JsonObject();
        foreach (var name in keys)
        {
            if (item.TryGetPropertyValue(name, out var value))
            {
                key[name] = value?.DeepClone();
            }
        }

        return key;
    }
}
