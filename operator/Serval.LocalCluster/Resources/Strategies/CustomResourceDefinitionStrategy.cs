using System.Text.Json.Nodes;
using Serval.LocalCluster.Admission;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Resources.Strategies;

/// <summary>
/// CustomResourceDefinitions: names and versions are checked, every schema must compile (structural, CEL rules
/// included), and the status a real server reports once the definition is served is filled in at once
/// (NamesAccepted and Established true, acceptedNames, storedVersions).
/// </summary>
internal sealed class CustomResourceDefinitionStrategy : IResourceStrategy
{
    public static readonly CustomResourceDefinitionStrategy Instance = new();

    public IReadOnlyList<string> Admit(ResourceType type, JsonObject obj, JsonObject? old, AdmissionOptions options)
    {
        var name = obj.StringAtPath("metadata", "name") ?? string.Empty;
        var spec = obj.ObjectAt("spec");
        var names = spec.ObjectAt("names");
        var errors = new FieldErrors();
        var group = spec.StringAt("group");
        var plural = names.StringAt("plural");
        var kind = names.StringAt("kind");
        if (string.IsNullOrEmpty(group))
        {
            errors.Required("spec.group");
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            errors.Invalid("spec.group", group, "should be a domain with at least one dot");
        }

        if (string.IsNullOrEmpty(plural))
        {
            errors.Required("spec.names.plural");
        }

        if (string.IsNullOrEmpty(kind))
        {
            errors.Required("spec.names.kind");
        }

        if (!string.IsNullOrEmpty(plural) && !string.IsNullOrEmpty(group) && name != $"{plural}.{group}")
        {
            errors.Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group");
        }

        var scope = spec.StringAt("scope");
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.NotSupported("spec.scope", scope ?? string.Empty, ["Cluster", "Namespaced"]);
        }

        names.TryAdd("singular", kind?.ToLowerInvariant());
        names.TryAdd("listKind", $"{kind}List");
        spec.TryAdd("conversion", new JsonObject { ["strategy"] = "None" });
        var storageVersions = 0;
        if (spec["versions"] is not JsonArray versions || versions.Count == 0)
        {
            errors.Required("spec.versions", "must have exactly one version marked as storage version");
        }
        else
        {
            for (var i = 0; i < versions.Count; i++)
            {
                if (versions[i] is not JsonObject version)
                {
                    continue;
                }

                if (version["storage"]?.GetValue<bool>() == true)
                {
                    storageVersions++;
                }

                if (version.At("schema", "openAPIV3Schema") is JsonNode schema)
                {
                    try
                    {
                        StructuralSchema.Compile(schema);
                    }
                    catch (SchemaCompileException e)
                    {
                        foreach (var error in e.Errors)
                        {
                            errors.Add(new StatusCause(error.Reason, error.Message, $"spec.versions[{i}].schema.{error.Field}"));
                        }

                        if (e.Errors.Count == 0)
                        {
                            errors.Invalid($"spec.versions[{i}].schema.openAPIV3Schema", "", e.Message);
                        }
                    }
                }
            }

            if (storageVersions != 1)
            {
                errors.Invalid("spec.versions", JsonValue.Create(storageVersions), "must have exactly one version marked as storage version");
            }
        }

        if (old is not null && (old.StringAtPath("spec", "group") != group || old.StringAtPath("spec", "scope") != scope))
        {
            errors.Invalid(old.StringAtPath("spec", "group") != group ? "spec.group" : "spec.scope",
                (old.StringAtPath("spec", "group") != group ? group : scope) ?? string.Empty, "field is immutable");
        }

        errors.ThrowIfAny(type, name);
        FillStatus(obj, old);
        return [];
    }

    private static void FillStatus(JsonObject obj, JsonObject? old)
    {
        var spec = obj.ObjectAt("spec");
        var status = obj.ObjectAt("status");
        status["acceptedNames"] = spec["names"]!.DeepClone();
        var now = obj.StringAtPath("metadata", "creationTimestamp") ?? string.Empty;
        status["conditions"] = new JsonArray(
            Condition("NamesAccepted", "NoConflicts", "no conflicts found", old, now),
            Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", old, now));
        var stored = (old?["status"] as JsonObject).StringList("storedVersions");
        var storage = (spec["versions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true).StringAt("name");
        if (storage is not null && !stored.Contains(storage))
        {
            stored.Add(storage);
        }

        status["storedVersions"] = new JsonArray(stored.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
    }

    private static JsonObject Condition(string type, string reason, string message, JsonObject? old, string now)
    {
        var previous = (old?.At("status", "conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.StringAt("type") == type);
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = previous?.StringAt("lastTransitionTime") ?? now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }
}
