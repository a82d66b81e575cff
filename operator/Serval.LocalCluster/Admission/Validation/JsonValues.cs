using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Admission.Validation;

/// <summary>
/// Reads JSON nodes as Go's JSON decoding into unstructured objects sees them: integers as int64, other numbers as float64.
/// </summary>
internal static class JsonValues
{
    public const string Object = "object";
    public const string Array = "array";
    public const string String = "string";
    public const string Integer = "integer";
    public const string Number = "number";
    public const string Boolean = "boolean";
    public const string Null = "null";

    /// <summary>The OpenAPI type name of a JSON value: object, array, string, integer, number, boolean or null.</summary>
    public static string Kind(JsonNode? node) => node switch
    {
        null => Null,
        JsonObject => Object,
        JsonArray => Array,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => String,
            JsonValueKind.True or JsonValueKind.False => Boolean,
            JsonValueKind.Number => TryGetInt64(v, out _) ? Integer : Number,
            JsonValueKind.Null => Null,
            _ => Null,
        },
        _ => Null,
    };

    /// <summary>A scalar as the Go decoder holds it: long, double, string, bool or null.</summary>
    public static object? ToScalar(JsonValue v) => v.GetValueKind() switch
    {
        JsonValueKind.String => v.GetValue<string>(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => TryGetInt64(v, out var l) ? (object)l : GetDouble(v),
        _ => null,
    };

    public static bool TryGetInt64(JsonValue v, out long value)
    {
        if (v.TryGetValue(out JsonElement element))
        {
            return element.TryGetInt64(out value);
        }

        if (v.TryGetValue(out value))
        {
            return true;
        }

        if (v.TryGetValue(out int i))
        {
            value = i;
            return true;
        }

        if (v.TryGetValue(out short s))
        {
            value = s;
            return true;
        }

        if (v.TryGetValue(out uint u))
        {
            value = u;
            return true;
        }

        if (v.TryGetValue(out byte b))
        {
            value = b;
            return true;
        }

        if (v.TryGetValue(out ulong ul) && ul <= long.MaxValue)
        {
            value = (long)ul;
            return true;
        }

        value = 0;
        return false;
    }

    public static double GetDouble(JsonValue v)
    {
        if (v.TryGetValue(out JsonElement element))
        {
            return element.GetDouble();
        }

        if (TryGetInt64(v, out var l))
        {
            return l;
        }

        if (v.TryGetValue(out double d))
        {
            return d;
        }

        if (v.TryGetValue(out float f))
        {
            return f;
        }

        if (v.TryGetValue(out decimal m))
        {
            return (double)m;
        }

        return double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);
    }

    /// <summary>Whether a float64 holds a whole number that JSON would also write as an integer.</summary>
    public static bool IsIntegral(double d) => !double.IsInfinity(d) && !double.IsNaN(d) && Math.Floor(d) == d;

    /// <summary>Semantic equality: numbers by value (1 equals 1.0), objects regardless of key order.</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b) => CanonicalKey(a) == CanonicalKey(b);

    /// <summary>A string equal for two values exactly when they are semantically equal JSON.</summary>
    public static string CanonicalKey(JsonNode? node)
    {
        var sb = new StringBuilder();
        AppendCanonical(sb, node);
        return sb.ToString();
    }

    private static void AppendCanonical(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
                sb.Append('{');
                foreach (var (key, child) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    sb.Append(JsonSerializer.Serialize(key)).Append(':');
                    AppendCanonical(sb, child);
                    sb.Append(',');
                }

                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                foreach (var child in a)
                {
                    AppendCanonical(sb, child);
                    sb.Append(',');
                }

                sb.Append(']');
                break;
            case JsonValue v:
                switch (ToScalar(v))
                {
                    case string s:
                        sb.Append(JsonSerializer.Serialize(s));
                        break;
                    case long l:
                        sb.Append(l.ToString(CultureInfo.InvariantCulture));
                        break;
                    case double d:
                        sb.Append(IsIntegral(d) && Math.Abs(d) < 9.2e18
                            ? ((long)d).ToString(CultureInfo.InvariantCulture)
                            : d.ToString("R", CultureInfo.InvariantCulture));
                        break;
                    case bool flag:
                        sb.Append(flag ? "true" : "false");
                        break;
                    default:
                        sb.Append("null");
                        break;
                }

                break;
        }
    }
}
