using System.Text.Json.Nodes;
using Serval.LocalCluster.Admission.Schema;

namespace Serval.LocalCluster.Admission.Defaulting;

/// <summary>
/// Applies schema defaults as the API server does when it decodes a custom resource: a missing field, or a null in
/// a field that is not nullable, takes its default (deep-copied); a null in a non-nullable field without a default
/// is dropped; defaults then apply inside the values, so nested objects, list items and map values get theirs too.
/// </summary>
internal static class Defaulter
{
    public static void Apply(SchemaNode schema, JsonNode? value, bool isRoot) => ApplyNode(schema, value, isRoot);

    private static void ApplyNode(SchemaNode s, JsonNode? value, bool resourceRoot)
    {
        switch (value)
        {
            case JsonObject obj:
                ApplyObject(s, obj, resourceRoot || s.EmbeddedResource);
                break;
            case JsonArray array when s.Items is not null:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is null && !s.Items.Nullable && s.Items.HasDefault)
                    {
                        array[i] = s.Items.Default?.DeepClone();
                    }

                    ApplyNode(s.Items, array[i], false);
                }

                break;
        }
    }

    private static void ApplyObject(SchemaNode s, JsonObject obj, bool resourceRoot)
    {
        foreach (var (name, property) in s.PropertyList)
        {
            if (!property.HasDefault || (resourceRoot && name == "metadata"))
            {
                continue;
            }

            if (!obj.TryGetPropertyValue(name, out var current) || (current is null && !property.Nullable))
            {
                obj[name] = property.Default?.DeepClone();
            }
        }

        List<string>? nullsToDrop = null;
        foreach (var (key, child) in obj)
        {
            if (resourceRoot && key == "metadata")
            {
                continue;
            }

            var childSchema = s.ChildSchema(key);
            if (childSchema is null)
            {
                continue;
            }

            if (child is null && !childSchema.Nullable)
            {
                (nullsToDrop ??= []).Add(key);
                continue;
            }

            ApplyNode(childSchema, child, false);
        }

        foreach (var key in nullsToDrop ?? [])
        {
            var childSchema = s.ChildSchema(key)!;
            if (childSchema.HasDefault)
            {
                obj[key] = childSchema.Default?.DeepClone();
                ApplyNode(childSchema, obj[key], false);
            }
            else
            {
                obj.Remove(key);
            }
        }
    }
}
