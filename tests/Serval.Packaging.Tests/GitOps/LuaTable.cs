using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serval.Packaging.Tests.GitOps;

/// <summary>Writes JSON as a Lua table constructor, the way Argo CD hands a live object to a health script.</summary>
internal static class LuaTable
{
    public static string From(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case null:
                text.Append("nil");
                break;
            case JsonObject obj:
                text.Append('{');
                foreach (var (key, value) in obj)
                {
                    text.Append('[').Append(Quote(key)).Append("]=");
                    Write(value, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('{');
                foreach (var item in array)
                {
                    Write(item, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                text.Append(Quote(value.GetValue<string>()));
                break;
            case JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                text.Append(value.GetValue<bool>() ? "true" : "false");
                break;
            case JsonValue value:
                text.Append(value.GetValue<double>().ToString(CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string Quote(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
