using System.Text.Json.Nodes;
using Serval.LocalCluster.Admission;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Resources.Strategies;
using Serval.LocalCluster.Tables;

namespace Serval.LocalCluster.Resources;

/// <summary>Turns a stored CustomResourceDefinition into the resource types it serves, one per served version.</summary>
internal static class CustomResourceDefinitions
{
    public static IReadOnlyList<ResourceType> ToResourceTypes(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject ?? new JsonObject();
        var names = spec["names"] as JsonObject ?? new JsonObject();
        var group = spec.StringAt("group") ?? string.Empty;
        var kind = names.StringAt("kind") ?? string.Empty;
        var plural = names.StringAt("plural") ?? string.Empty;
        var namespaced = spec.StringAt("scope") != "Cluster";
        var types = new List<ResourceType>();
        if (spec["versions"] is not JsonArray versions)
        {
            return types;
        }

        foreach (var version in versions.OfType<JsonObject>())
        {
            if (version["served"]?.GetValue<bool>() != true)
            {
                continue;
            }

            var schemaNode = version.At("schema", "openAPIV3Schema");
            var subresources = version["subresources"] as JsonObject;
            var scale = subresources?["scale"] as JsonObject;
            types.Add(new ResourceType
            {
                Group = group,
                Version = version.StringAt("name") ?? string.Empty,
                Kind = kind,
                Plural = plural,
                Singular = names.StringAt("singular") ?? kind.ToLowerInvariant(),
                Namespaced = namespaced,
                ShortNames = names.StringList("shortNames"),
                Categories = names.StringList("categories"),
                HasStatus = subresources?["status"] is JsonObject,
                Scale = scale is null
                    ? null
                    : new ScaleSubresource(Strip(scale.StringAt("specReplicasPath")), Strip(scale.StringAt("statusReplicasPath")),
                        scale.StringAt("labelSelectorPath") is { } selector ? Strip(selector) : null),
                TracksGeneration = true,
                AllowUnconditionalUpdate = false,
                IsCustom = true,
                IsStorageVersion = version["storage"]?.GetValue<bool>() == true,
                Columns = Columns(version),
                ListTypes = new SchemaListTypes(schemaNode),
                Schema = schemaNode?.DeepClone(),
                Strategy = new CustomResourceStrategy(schemaNode is null ? null : StructuralSchema.Compile(schemaNode)),
            });
        }

        return types;
    }

    private static string Strip(string? path) => (path ?? string.Empty).TrimStart('.');

    private static List<PrinterColumn> Columns(JsonObject version)
    {
        var columns = new List<PrinterColumn> { BuiltInColumns.Name };
        if (version["additionalPrinterColumns"] is not JsonArray additional)
        {
            columns.Add(new PrinterColumn("Age", "date", "", BuiltInColumns.Age.Description, 0, BuiltInColumns.Age.Cell));
            return columns;
        }

        foreach (var column in additional.OfType<JsonObject>())
        {
            var type = column.StringAt("type") ?? "string";
            var path = JsonPathExpression.Parse(column.StringAt("jsonPath") ?? string.Empty);
            columns.Add(new PrinterColumn(
                column.StringAt("name") ?? string.Empty,
                type,
                column.StringAt("format") ?? string.Empty,
                column.StringAt("description") ?? string.Empty,
                (int)(column.LongAt("priority") ?? 0),
                (obj, now) => Cell(path, type, obj, now)));
        }

        return columns;
    }

    private static JsonNode? Cell(JsonPathExpression path, string type, JsonObject obj, DateTimeOffset now)
    {
        var results = path.Evaluate(obj);
        if (results.Count == 0 || results[0] is null)
        {
            return null;
        }

        var value = results[0];
        if (type == "date")
        {
            return value is JsonValue v && v.TryGetValue<string>(out var text) ? HumanDuration.Since(text, now) : "<invalid>";
        }

        if (results.Count > 1 || value is JsonObject or JsonArray)
        {
            return string.Join(",", results.Select(r => r is JsonValue rv && rv.TryGetValue<string>(out var s) ? s : r?.ToJsonString()));
        }

        return value?.DeepClone();
    }
}
