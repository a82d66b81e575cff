using System.Text;
using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;

namespace Serval.LocalCluster.Resources.Strategies;

/// <summary>Secrets: stringData folds into base64 data (and is not stored), data must be base64, type defaults to Opaque.</summary>
internal sealed class SecretStrategy : IResourceStrategy
{
    public static readonly SecretStrategy Instance = new();

    public IReadOnlyList<string> Admit(ResourceType type, JsonObject obj, JsonObject? old, AdmissionOptions options)
    {
        if (string.IsNullOrEmpty(obj.StringAt("type")))
        {
            obj["type"] = "Opaque";
        }
        if (obj["stringData"] is JsonObject stringData)
        {
            var data = obj.ObjectAt("data");
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonObjects.ScalarText(value)));
            }

            obj.Remove("stringData");
        }

        var errors = new FieldErrors();
        if (obj["data"] is JsonObject values)
        {
            foreach (var (key, value) in values)
            {
                var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                Span<byte> buffer = new byte[((text?.Length ?? 0) * 3 / 4) + 3];
                if (text is null || !Convert.TryFromBase64String(text, buffer, out _))
                {
                    errors.Invalid($"data[{key}]", value, "must be base64 encoded");
                }
            }
        }

        if (old is not null && old.StringAt("type") is { } oldType && oldType != obj.StringAt("type"))
        {
            errors.Invalid("type", obj.StringAt("type") ?? string.Empty, "field is immutable");
        }

        errors.ThrowIfAny(type, obj.StringAtPath("metadata", "name") ?? string.Empty);
        return [];
    }
}
