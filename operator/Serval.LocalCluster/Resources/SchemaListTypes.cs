using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;

namespace Serval.LocalCluster.Resources;

/// <summary>List semantics of a custom resource, read from its schema's x-kubernetes-list-type and list-map-keys.</summary>
internal sealed class SchemaListTypes(JsonNode? schema) : IListTypes
{
    public ListType Resolve(IReadOnlyList<string> path)
    {
        if (path is ["metadata", "finalizers"])
        {
            return ListType.Set;
        }

        if (path is ["metadata", "ownerReferences"])
        {
            return ListType.Map("uid");
        }

        var node = schema as JsonObject;
        for (var i = 0; i < path.Count && node is not null; i++)
        {
            while (node?["items"] is JsonObject items && node.StringAt("type") == "array")
            {
                node = items;
            }

            node = node?.At("properties", path[i]) as JsonObject ?? node?["additionalProperties"] as JsonObject;
        }

        if (node is null)
        {
            return ListType.Atomic;
        }

        return node.StringAt("x-kubernetes-list-type") switch
        {
            "map" => new ListType(node.StringList("x-kubernetes-list-map-keys"), null, false),
            "set" => ListType.Set,
            _ => ListType.Atomic,
        };
    }
}
