using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Resources;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Apply;

/// <summary>
/// Server-side apply (<c>application/apply-patch+yaml</c>). The applier comes to own exactly the fields it sends:
/// fields it owned before and no longer sends are removed unless another manager also owns them; keyed lists merge
/// item by item, other lists and scalars replace. A conflict is a field the applier sends with a different value from
/// the current one while another manager owns it; without force that is a 409 naming each field and manager, with
/// force the applier takes the field over.
/// </summary>
internal static class ServerSideApply
{
    public static JsonObject Apply(JsonObject? current, JsonObject applied, ResourceType type, string manager, bool force,
        string? subresource, string time)
    {
        var includeStatus = subresource == "status";
        var appliedFields = FieldSet.FromObject(applied, type.ListTypes, includeStatus);
        var entries = current is null ? [] : ManagedFields.Read(current);
        var conflicts = new List<(string Manager, string ApiVersion, string[] Path)>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var sameScope = (e.Subresource == "status") == includeStatus;
            if (!sameScope || (e.Manager == manager && e.Operation == "Apply"))
            {
                continue;
            }

            var contested = e.Fields.Intersect(appliedFields).Where(path => path[^1] != "."
                && !(FieldSet.TryGetValue(applied, path, type.ListTypes, out var wanted) && FieldSet.TryGetValue(current, path, type.ListTypes, out var actual)
                     && JsonNode.DeepEquals(wanted, actual)));
            if (contested.Count == 0)
            {
                continue;
            }

            if (force)
            {
                entries[i] = e with { Fields = e.Fields.Except(contested) };
            }
            else
            {
                conflicts.AddRange(contested.Paths.Select(p => (e.Manager, e.ApiVersion, p)));
            }
        }

        if (conflicts.Count > 0)
        {
            throw Conflict(conflicts);
        }

        var result = current?.CloneObject() ?? new JsonObject
        {
            ["apiVersion"] = applied["apiVersion"]?.DeepClone(),
            ["kind"] = applied["kind"]?.DeepClone(),
            ["metadata"] = new JsonObject(),
        };
        if (current is null && applied["metadata"] is JsonObject appliedMetadata)
        {
            foreach (var field in new[] { "name", "namespace", "generateName" })
            {
                if (appliedMetadata[field] is { } v)
                {
                    result.Metadata()[field] = v.DeepClone();
                }
            }
        }

        var previous = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Apply" && e.Subresource == subresource);
        if (previous is not null)
        {
            var othersOwn = entries.Where(e => !ReferenceEquals(e, previous)).Aggregate(FieldSet.Empty, (acc, e) => acc.Union(e.Fields));
            var dropped = previous.Fields.Except(appliedFields).Except(othersOwn);
            foreach (var path in dropped.Paths.OrderByDescending(p => p.Length))
            {
                FieldSet.Remove(result, path, type.ListTypes);
            }
        }

        foreach (var (key, value) in applied)
        {
            switch (key)
            {
                case "apiVersion" or "kind":
                    break;
                case "metadata" when !includeStatus && value is JsonObject metadata:
                    foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
                    {
                        if (metadata.TryGetPropertyValue(field, out var m))
                        {
                            MergeField(result.Metadata(), field, m, ["metadata", field], type.ListTypes);
                        }
                    }

                    break;
                case "metadata":
                    break;
                case "status" when !includeStatus:
                    break;
                default:
                    if (!includeStatus || key == "status")
                    {
                        MergeField(result, key, value, [key], type.ListTypes);
                    }

                    break;
            }
        }

        // The applier's entry keeps its place, so re-applying the same configuration changes nothing at all.
        var entry = new ManagedFieldsEntry(manager, "Apply", type.GroupVersion, time, subresource, appliedFields);
        var index = previous is null ? -1 : entries.FindIndex(e => ReferenceEquals(e, previous));
        if (index >= 0)
        {
            entries[index] = entry;
        }
        else
        {
            entries.Add(entry);
        }

        ManagedFields.Write(result, entries);
        return result;
    }

    private static void MergeField(JsonObject target, string key, JsonNode? value, List<string> path, IListTypes listTypes)
    {
        if (value is null)
        {
            target.Remove(key);
            return;
        }

        if (value is JsonObject source && target[key] is JsonObject existing)
        {
            foreach (var (childKey, childValue) in source)
            {
                path.Add(childKey);
                MergeField(existing, childKey, childValue, path, listTypes);
                path.RemoveAt(path.Count - 1);
            }

            return;
        }

        if (value is JsonArray items && target[key] is JsonArray existingItems)
        {
            var type = listTypes.Resolve(path);
            if (type.IsMap)
            {
                foreach (var item in items)
                {
                    if (item is not JsonObject itemObject)
                    {
                        continue;
                    }

                    var match = existingItems.OfType<JsonObject>()
                        .FirstOrDefault(e => type.Keys.All(k => JsonNode.DeepEquals(KeyValue(e, k, type), KeyValue(itemObject, k, type))));
                    if (match is null)
                    {
                        existingItems.Add(itemObject.DeepClone());
                        continue;
                    }

                    foreach (var (childKey, childValue) in itemObject)
                    {
                        path.Add(childKey);
                        MergeField(match, childKey, childValue, path, listTypes);
                        path.RemoveAt(path.Count - 1);
                    }
                }

                return;
            }

            if (type.IsSet)
            {
                foreach (var item in items.Where(i => !existingItems.Any(e => JsonNode.DeepEquals(e, i))))
                {
                    existingItems.Add(item?.DeepClone());
                }

                return;
            }
        }

        target[key] = value.DeepClone();
    }

    private static JsonNode? KeyValue(JsonObject item, string key, ListType type) =>
        item[key] ?? (type.KeyDefaults.TryGetValue(key, out var fallback) ? JsonValue.Create(fallback) : null);

    private static ApiException Conflict(List<(string Manager, string ApiVersion, string[] Path)> conflicts)
    {
        var causes = conflicts.Select(c => new StatusCause("FieldManagerConflict",
            $"conflict with \"{c.Manager}\" using {c.ApiVersion}", FieldSet.Describe(c.Path))).ToList();
        var lines = causes.Select(c => $"{c.Message}: {c.Field}").ToList();
        var message = lines.Count == 1
            ? $"Apply failed with 1 conflict: {lines[0]}"
            : $"Apply failed with {lines.Count} conflicts: {string.Join("\n", lines)}";
        return new ApiException(409, "Conflict", message, causes: causes);
    }
}
