using System.Text.Json.Nodes;

namespace Serval.Api.Tests;

/// <summary>JSON trees in a canonical text form (keys sorted), so that two trees compare as strings with a readable diff.</summary>
internal static class JsonTrees
{
    public static string Canonical(JsonNode? node) => Sort(node)?.ToJsonString() ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sort)]),
        _ => node?.DeepClone(),
    };
}
