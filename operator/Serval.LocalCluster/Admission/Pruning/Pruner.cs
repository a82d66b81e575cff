using System.Text.Json.Nodes;
using Serval.LocalCluster.Admission.Schema;
using Serval.LocalCluster.Admission.Validation;

namespace Serval.LocalCluster.Admission.Pruning;

/// <summary>
/// Structural pruning: drops every field the schema does not know, except under
/// <c>x-kubernetes-preserve-unknown-fields</c>, and keeps apiVersion, kind and metadata at the root and in
/// embedded resources. Returns the dropped paths (<c>spec.foo</c>, <c>spec.items[0].bar</c>).
/// </summary>
internal static class Pruner
{
    private static readonly HashSet<string> ResourceFields = ["apiVersion", "kind", "metadata"];

    public static List<string> Prune(SchemaNode schema, JsonNode? value, bool isRoot)
    {
        var pruned = new List<string>();
        PruneNode(schema, value, string.Empty, isRoot, pruned);
        return pruned;
    }

    private static void PruneNode(SchemaNode s, JsonNode? value, string path, bool resourceRoot, List<string> pruned)
    {
        switch (value)
        {
            case JsonObject obj:
                PruneObject(s, obj, path, resourceRoot || s.EmbeddedResource, pruned);
                break;
            case JsonArray array when s.Items is not null:
                for (var i = 0; i < array.Count; i++)
                {
                    PruneNode(s.Items, array[i], FieldPaths.Index(path, i), false, pruned);
                }

                break;
        }
    }

    private static void PruneObject(SchemaNode s, JsonObject obj, string path, bool resourceRoot, List<string> pruned)
    {
        List<string>? unknown = null;
        foreach (var (key, child) in obj)
        {
            var childPath = FieldPaths.Child(path, key);
            if (resourceRoot && ResourceFields.Contains(key))
            {
                if (key != "metadata" && s.Properties.TryGetValue(key, out var declared))
                {
                    PruneNode(declared, child, childPath, false, pruned);
                }

                continue;
            }

            if (s.ChildSchema(key) is { } childSchema)
            {
                PruneNode(childSchema, child, childPath, false, pruned);
            }
            else if (!s.PreserveUnknownFields && !s.AdditionalPropertiesAny)
            {
                (unknown ??= []).Add(key);
            }
        }

        foreach (var key in unknown ?? [])
        {
            obj.Remove(key);
            pruned.Add(FieldPaths.Child(path, key));
        }
    }
}
