using System.Globalization;
using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Patch;

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy and test over JSON pointers.</summary>
internal static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        var root = new JsonObject { ["doc"] = document.Parent is null ? document : document.DeepClone() };
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject op)
            {
                throw ApiException.BadRequest($"json patch operation {i} is not an object");
            }

            var name = op.StringAt("op") ?? throw ApiException.BadRequest($"json patch operation {i} has no \"op\"");
            var path = op.StringAt("path") ?? throw ApiException.BadRequest($"json patch operation {i} ({name}) has no \"path\"");
            switch (name)
            {
                case "add":
                    Add(root, path, Value(op, i));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(op, i));
                    break;
                case "move":
                    {
                        var from = op.StringAt("from") ?? throw ApiException.BadRequest($"json patch operation {i} (move) has no \"from\"");
                        var value = Get(root, from);
                        Remove(root, from);
                        Add(root, path, value?.DeepClone());
                        break;
                    }

                case "copy":
                    {
                        var from = op.StringAt("from") ?? throw ApiException.BadRequest($"json patch operation {i} (copy) has no \"from\"");
                        Add(root, path, Get(root, from)?.DeepClone());
                        break;
                    }

                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), op["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    }

                    break;
                default:
                    throw ApiException.BadRequest($"json patch operation {i}: unsupported op \"{name}\"");
            }
        }

        var result = root["doc"]!;
        root.Remove("doc");
        return result;
    }

    private static JsonNode? Value(JsonObject op, int i) =>
        op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw ApiException.BadRequest($"json patch operation {i} has no \"value\"");

    private static List<string> Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw Fail(pointer, "must start with '/'");
        }

        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static (JsonNode Parent, string Token) Parent(JsonObject root, string pointer)
    {
        var tokens = Tokens(pointer);
        tokens.Insert(0, "doc");
        JsonNode current = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            current = Child(current, tokens[i], pointer) ?? throw Fail(pointer, "path does not exist");
        }

        return (current, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode node, string token, string pointer) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(token, out var v) ? v : throw Fail(pointer, $"member \"{token}\" does not exist"),
        JsonArray a => a[Index(a, token, pointer, allowEnd: false)],
        _ => throw Fail(pointer, "path goes through a scalar"),
    };

    private static JsonNode? Get(JsonObject root, string pointer)
    {
        var (parent, token) = Parent(root, pointer);
        return Child(parent, token, pointer);
    }

    private static void Add(JsonObject root, string pointer, JsonNode? value)
    {
        var (parent, token) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                break;
            case JsonArray a:
                a.Insert(token == "-" ? a.Count : Index(a, token, pointer, allowEnd: true), value);
                break;
            default:
                throw Fail(pointer, "parent is a scalar");
        }
    }

    private static void Remove(JsonObject root, string pointer)
    {
        var (parent, token) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(token):
                o.Remove(token);
                break;
            case JsonArray a:
                a.RemoveAt(Index(a, token, pointer, allowEnd: false));
                break;
            default:
                throw Fail(pointer, "path does not exist");
        }
    }

    private static int Index(JsonArray array, string token, string pointer, bool allowEnd)
    {
        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > array.Count || (!allowEnd && index == array.Count))
        {
            throw Fail(pointer, $"index \"{token}\" is out of range");
        }

        return index;
    }

    private static ApiException Fail(string pointer, string why) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: json patch path \"{pointer}\": {why}");
}
