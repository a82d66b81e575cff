using System.Globalization;
using System.Text.Json.Nodes;
using Serval.LocalCluster.Resources;

namespace Serval.LocalCluster.OpenApi;

/// <summary>
/// OpenAPI v3: the /openapi/v3 index and one document per group/version. Each resource's PATCH operation carries
/// x-kubernetes-group-version-kind and the fieldValidation parameter, which is what kubectl (and helm) look for to send
/// validation to the server (fieldValidation=Strict) instead of validating against OpenAPI v2 themselves.
/// Strategic merge patch is deliberately not listed among PATCH's media types: kubectl then computes client-side apply
/// patches from its compiled-in types (built-ins) or as JSON merge patches (custom resources) instead of from schemas.
/// Custom resources carry their CRD schema; built-in kinds a minimal object schema.
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject Index(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var (group, versions) in registry.Groups())
        {
            foreach (var version in versions)
            {
                var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
                paths[key] = new JsonObject
                {
                    ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(registry, group, version)}",
                };
            }
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static string Hash(ResourceRegistry registry, string group, string version) =>
        string.Create(CultureInfo.InvariantCulture, $"{registry.Revision:X8}{(uint)StringComparer.Ordinal.GetHashCode($"{group}/{version}"):X8}");

    public static JsonObject? GroupVersion(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        foreach (var t in types)
        {
            var schemaName = SchemaName(t);
            schemas[schemaName] = Schema(t);
            var listName = $"{schemaName}List";
            schemas[listName] = new JsonObject
            {
                ["type"] = "object",
                ["x-kubernetes-group-version-kind"] = Gvk(t.Group, t.Version, t.ListKind),
                ["properties"] = new JsonObject
                {
                    ["items"] = new JsonObject { ["type"] = "array", ["items"] = Ref(schemaName) },
                },
            };
            var collection = t.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{t.Plural}" : $"{prefix}/{t.Plural}";
            paths[collection] = new JsonObject
            {
                ["get"] = Operation(t, "list", listName, []),
                ["post"] = Operation(t, "post", schemaName, WriteParameters()),
                ["delete"] = Operation(t, "deletecollection", "io.k8s.apimachinery.pkg.apis.meta.v1.Status", []),
                ["parameters"] = PathParameters(t.Namespaced, named: false),
            };
            paths[$"{collection}/{{name}}"] = new JsonObject
            {
                ["get"] = Operation(t, "get", schemaName, []),
                ["put"] = Operation(t, "put", schemaName, WriteParameters()),
                ["patch"] = PatchOperation(t, schemaName),
                ["delete"] = Operation(t, "delete", schemaName, []),
                ["parameters"] = PathParameters(t.Namespaced, named: true),
            };
            if (t.HasStatus)
            {
                paths[$"{collection}/{{name}}/status"] = new JsonObject
                {
                    ["get"] = Operation(t, "get", schemaName, []),
                    ["put"] = Operation(t, "put", schemaName, WriteParameters()),
                    ["patch"] = PatchOperation(t, schemaName),
                    ["parameters"] = PathParameters(t.Namespaced, named: true),
                };
            }

            if (t.Namespaced)
            {
                paths[$"{prefix}/{t.Plural}"] = new JsonObject { ["get"] = Operation(t, "list", listName, []) };
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static string SchemaName(ResourceType t)
    {
        if (t.Group.Length == 0)
        {
            return $"io.k8s.api.core.{t.Version}.{t.Kind}";
        }

        var reversed = string.Join('.', t.Group.Split('.').Reverse());
        return t.IsCustom ? $"{reversed}.{t.Version}.{t.Kind}" : $"io.k8s.api.{t.Group.Split('.')[0]}.{t.Version}.{t.Kind}";
    }

    private static JsonObject Schema(ResourceType t)
    {
        var schema = t.Schema?.DeepClone() as JsonObject ?? new JsonObject
        {
            ["type"] = "object",
            ["x-kubernetes-preserve-unknown-fields"] = true,
        };
        schema["x-kubernetes-group-version-kind"] = Gvk(t.Group, t.Version, t.Kind);
        var properties = schema["properties"] as JsonObject ?? new JsonObject();
        schema["properties"] = properties;
        properties["apiVersion"] ??= new JsonObject { ["type"] = "string" };
        properties["kind"] ??= new JsonObject { ["type"] = "string" };
        properties["metadata"] = new JsonObject { ["type"] = "object" };
        return schema;
    }

    private static JsonArray Gvk(string group, string version, string kind) =>
        new(new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind });

    private static JsonObject Ref(string schema) => new() { ["$ref"] = $"#/components/schemas/{schema}" };

    private static JsonObject Operation(ResourceType t, string action, string responseSchema, JsonArray parameters) => new()
    {
        ["operationId"] = $"{action}{t.Kind}",
        ["parameters"] = parameters,
        ["responses"] = new JsonObject
        {
            ["200"] = new JsonObject
            {
                ["description"] = "OK",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(responseSchema) } },
            },
        },
        ["x-kubernetes-action"] = action,
        ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind },
    };

    private static JsonObject PatchOperation(ResourceType t, string schemaName)
    {
        var parameters = WriteParameters();
        parameters.Add(QueryParameter("force", "boolean", "Force is going to \"force\" Apply requests."));
        var operation = Operation(t, "patch", schemaName, parameters);
        var content = new JsonObject();
        foreach (var media in new[] { "application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml" })
        {
            content[media] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } };
        }

        operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
        return operation;
    }

    private static JsonArray WriteParameters() =>
    [
        QueryParameter("dryRun", "string", "When present, indicates that modifications should not be persisted."),
        QueryParameter("fieldManager", "string", "fieldManager is a name associated with the actor or entity that is making these changes."),
        QueryParameter("fieldValidation", "string", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict."),
    ];

    private static JsonObject QueryParameter(string name, string type, string description) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true },
    };

    private static JsonArray PathParameters(bool namespaced, bool named)
    {
        var parameters = new JsonArray();
        if (named)
        {
            parameters.Add(new JsonObject { ["name"] = "name", ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        if (namespaced)
        {
            parameters.Add(new JsonObject { ["name"] = "namespace", ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        return parameters;
    }
}
