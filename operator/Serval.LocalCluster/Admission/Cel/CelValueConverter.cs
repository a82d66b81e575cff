using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Serval.LocalCluster.Admission.Schema;
using Serval.LocalCluster.Admission.Validation;

namespace Serval.LocalCluster.Admission.Cel;

/// <summary>
/// Turns JSON into the values CEL rules see, guided by the schema as Kubernetes does: objects as maps with absent
/// fields absent, integers as int, numbers as double, int-or-string as either, <c>byte</c> strings as bytes,
/// <c>date-time</c> strings as timestamps, and ObjectMeta reduced to name and generateName.
/// One converter serves one validation, caching each converted node so nested rules share the work.
/// </summary>
internal sealed class CelValueConverter
{
    private readonly SchemaNode _root;
    private readonly Dictionary<JsonNode, object?> _cache = new(ReferenceEqualityComparer.Instance);

    public CelValueConverter(SchemaNode root)
    {
        _root = root;
    }

    public object? Convert(SchemaNode? schema, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_cache.TryGetValue(value, out var cached))
        {
            return cached;
        }

        object? result = value switch
        {
            JsonObject obj => ConvertObject(schema, obj),
            JsonArray array => ConvertArray(schema, array),
            JsonValue scalar => ConvertScalar(schema, scalar),
            _ => null,
        };
        _cache[value] = result;
        return result;
    }

    private Dictionary<string, object?> ConvertObject(SchemaNode? schema, JsonObject obj)
    {
        var resourceRoot = schema is not null && (ReferenceEquals(schema, _root) || schema.EmbeddedResource);
        var result = new Dictionary<string, object?>(obj.Count, StringComparer.Ordinal);
        foreach (var (key, child) in obj)
        {
            if (resourceRoot && key == "metadata")
            {
                result[key] = MetadataView(child);
                continue;
            }

            // Declared properties are fields, named as Kubernetes escapes them; map keys stay as they are.
            var declared = schema is not null && schema.Properties.ContainsKey(key);
            var name = declared ? CelPropertyNames.Escape(key) : key;
            if (name is not null)
            {
                result[name] = Convert(schema?.ChildSchema(key), child);
            }
        }

        return result;
    }

    private object?[] ConvertArray(SchemaNode? schema, JsonArray array)
    {
        var result = new object?[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            result[i] = Convert(schema?.Items, array[i]);
        }

        return result;
    }

    // Rules may read only metadata.name and metadata.generateName; the rest of ObjectMeta is the API server's.
    private static Dictionary<string, object?> MetadataView(JsonNode? metadata)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (metadata is JsonObject obj)
        {
            foreach (var key in (string[])["name", "generateName"])
            {
                if (obj[key] is JsonValue v && JsonValues.ToScalar(v) is string text)
                {
                    result[key] = text;
                }
            }
        }

        return result;
    }

    private static object? ConvertScalar(SchemaNode? schema, JsonValue value)
    {
        var scalar = JsonValues.ToScalar(value);
        switch (scalar)
        {
            case long l when schema?.Type == JsonValues.Number:
                return (double)l;
            case double d when (schema?.Type == JsonValues.Integer || schema?.IntOrString == true) && JsonValues.IsIntegral(d):
                return (long)d;
            case string text when schema?.Format == "byte":
                return TryBytes(text) ?? (object)text;
            case string text when schema?.Format is "date-time" or "datetime":
                return TryTimestamp(text) ?? (object)text;
            default:
                return scalar;
        }
    }

    private static ByteString? TryBytes(string text)
    {
        var buffer = new byte[text.Length];
        return System.Convert.TryFromBase64String(text, buffer, out var written) ? ByteString.CopyFrom(buffer, 0, written) : null;
    }

    private static Timestamp? TryTimestamp(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? Timestamp.FromDateTimeOffset(time)
            : null;
}
