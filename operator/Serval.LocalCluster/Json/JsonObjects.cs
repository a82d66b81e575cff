using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Json;

/// <summary>Small helpers for reading and shaping Kubernetes objects held as <see cref="JsonObject"/>.</summary>
internal static class JsonObjects
{
    public static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonObject Metadata(this JsonObject obj) => obj.ObjectAt("metadata");

    /// <summary>The child object named <paramref name="name"/>, created when absent or not an object.</summary>
    public static JsonObject ObjectAt(this JsonObject obj, string name)
    {
        if (obj[name] is JsonObject child)
        {
            return child;
        }

        var created = new JsonObject();
        obj[name] = created;
        return created;
    }

    public static string? StringAt(this JsonObject? obj, string name) =>
        obj?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? LongAt(this JsonObject? obj, string name)
    {
        if (obj?[name] is not JsonValue v)
        {
            return null;
        }

        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (v.TryGetValue<int>(out var i))
        {
            return i;
        }

        if (v.TryGetValue<double>(out var d) && d == Math.Floor(d))
        {
            return (long)d;
        }

        if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var el))
        {
            return el;
        }

        return null;
    }

    /// <summary>Walks a dotted path of object members; null when any step is missing.</summary>
    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var step in path)
        {
            if (node is not JsonObject o)
            {
                return null;
            }

            node = o[step];
        }

        return node;
    }

    public static string? StringAtPath(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static Dictionary<string, string> StringMap(this JsonObject? obj, string name)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj?[name] is JsonObject map)
        {
            foreach (var (k, v) in map)
            {
                result[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? string.Empty;
            }
        }

        return result;
    }

    public static List<string> StringList(this JsonObject? obj, string name)
    {
        var result = new List<string>();
        if (obj?[name] is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    result.Add(s);
                }
            }
        }

        return result;
    }

    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8, string what)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw Server.ApiException.BadRequest($"{what} is not valid JSON: {e.Message}");
        }

        return node as JsonObject ?? throw Server.ApiException.BadRequest($"{what} must be a JSON object, got {Describe(node)}");
    }

    public static JsonObject CloneObject(this JsonObject obj) => (JsonObject)obj.DeepClone();

    public static byte[] ToUtf8(this JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Compact);

    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonObject => "an object",
        _ => node.ToJsonString(),
    };

    /// <summary>Scalar text as Kubernetes prints it (strings bare, everything else as JSON).</summary>
    public static string ScalarText(JsonNode? node) => node switch
    {
        null => "<none>",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    public static bool IsEmptyObject(JsonNode? node) => node is JsonObject o && o.Count == 0;
}
