using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Patch;

/// <summary>JSON merge patch (RFC 7386): objects merge, null deletes, everything else replaces.</summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var merged = Apply(result[key], value);
                result[key] = ReferenceEquals(merged, result[key]) ? merged : Detach(merged);
            }
        }

        return result;
    }

    private static JsonNode? Detach(JsonNode? node) => node?.Parent is null ? node : node.DeepClone();
}
