using System.Globalization;
using System.Text.Json.Nodes;
using Serval.LocalCluster.Resources;
using Serval.LocalCluster.Storage;

namespace Serval.LocalCluster.Tables;

/// <summary>Renders objects as a meta.k8s.io Table, the form <c>kubectl get</c> asks for.</summary>
internal static class TableConverter
{
    public static JsonObject ToTable(ResourceType type, IEnumerable<(StoredObject Stored, byte[] View)> items, long resourceVersion,
        string? continueToken, string tableVersion, TableIncludeObject include, DateTimeOffset now)
    {
        var columns = new JsonArray();
        foreach (var c in type.Columns)
        {
            columns.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            });
        }

        var rows = new JsonArray();
        foreach (var (_, view) in items)
        {
            var obj = (JsonObject)JsonNode.Parse(view)!;
            rows.Add(Row(type, obj, include, now));
        }

        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = $"meta.k8s.io/{tableVersion}",
            ["metadata"] = metadata,
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    public static JsonObject PartialMetadata(JsonObject obj, string metaVersion) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = $"meta.k8s.io/{metaVersion}",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    private static JsonObject Row(ResourceType type, JsonObject obj, TableIncludeObject include, DateTimeOffset now)
    {
        var cells = new JsonArray();
        foreach (var c in type.Columns)
        {
            JsonNode? cell;
            try
            {
                cell = c.Cell(obj, now);
            }
            catch (InvalidOperationException)
            {
                // A value of an unexpected JSON type prints as unknown rather than failing the whole table.
                cell = "<unknown>";
            }

            cells.Add(cell?.Parent is null ? cell : cell.DeepClone());
        }

        var row = new JsonObject { ["cells"] = cells };
        switch (include)
        {
            case TableIncludeObject.Object:
                row["object"] = obj;
                break;
            case TableIncludeObject.Metadata:
                row["object"] = PartialMetadata(obj, "v1");
                break;
            case TableIncludeObject.None:
                break;
        }

        return row;
    }
}
