using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Resources;

namespace Serval.LocalCluster.Apply;

/// <summary>
/// Field ownership (metadata.managedFields) as kube-apiserver tracks it: an update hands the fields whose value it
/// changed to its manager; an apply makes its manager own exactly the fields it applied.
/// </summary>
internal static class ManagedFields
{
    public static List<ManagedFieldsEntry> Read(JsonObject obj)
    {
        var result = new List<ManagedFieldsEntry>();
        if (obj.At("metadata", "managedFields") is not JsonArray entries)
        {
            return result;
        }

        foreach (var e in entries.OfType<JsonObject>())
        {
            result.Add(new ManagedFieldsEntry(e.StringAt("manager") ?? string.Empty, e.StringAt("operation") ?? "Update",
                e.StringAt("apiVersion") ?? string.Empty, e.StringAt("time") ?? string.Empty, e.StringAt("subresource"),
                FieldSet.FromFieldsV1(e["fieldsV1"])));
        }

        return result;
    }

    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        var array = new JsonArray();
        foreach (var e in entries.Where(e => e.Fields.Count > 0))
        {
            var entry = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
                ["time"] = e.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = e.Fields.ToFieldsV1(),
            };
            if (e.Subresource is not null)
            {
                entry["subresource"] = e.Subresource;
            }

            array.Add(entry);
        }

        if (array.Count > 0)
        {
            obj.Metadata()["managedFields"] = array;
        }
        else
        {
            obj.Metadata().Remove("managedFields");
        }
    }

    /// <summary>Records an update (create, PUT, non-apply PATCH) by <paramref name="manager"/>.</summary>
    public static void RecordUpdate(JsonObject newObj, JsonObject? oldObj, ResourceType type, string manager, string? subresource, string time)
    {
        var includeStatus = subresource == "status";
        var entries = oldObj is null ? [] : Read(oldObj);
        var newFields = FieldSet.FromObject(newObj, type.ListTypes, includeStatus);
        var changed = oldObj is null ? newFields : FieldSet.Changed(newObj, oldObj, type.ListTypes, includeStatus);
        var updated = new List<ManagedFieldsEntry>();
        var found = false;
        foreach (var e in entries)
        {
            var sameScope = (e.Subresource == "status") == includeStatus;
            if (e.Manager == manager && e.Operation == "Update" && e.Subresource == subresource)
            {
                updated.Add(e with { Fields = e.Fields.Union(changed).Intersect(newFields), Time = changed.Count > 0 ? time : e.Time, ApiVersion = type.GroupVersion });
                found = true;
            }
            else
            {
                updated.Add(sameScope ? e with { Fields = e.Fields.Except(changed).Intersect(newFields) } : e);
            }
        }

        if (!found && changed.Count > 0)
        {
            updated.Add(new ManagedFieldsEntry(manager, "Update", type.GroupVersion, time, subresource, changed));
        }

        Write(newObj, updated);
    }

    /// <summary>The manager name kube-apiserver derives from a user agent when no fieldManager is given.</summary>
    public static string ManagerFromUserAgent(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent))
        {
            return "unknown";
        }

        var slash = userAgent.IndexOf('/', StringComparison.Ordinal);
        var name = slash > 0 ? userAgent[..slash] : userAgent;
        return name.Length > 128 ? name[..128] : name;
    }
}
