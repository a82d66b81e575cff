using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Selectors;

namespace Serval.LocalCluster.Resources.Strategies;

/// <summary>Deployments and ReplicaSets: selector required and matching the template, replica and rollout defaults.</summary>
internal sealed class WorkloadStrategy : IResourceStrategy
{
    public static readonly WorkloadStrategy Instance = new();

    public IReadOnlyList<string> Admit(ResourceType type, JsonObject obj, JsonObject? old, AdmissionOptions options)
    {
        var spec = obj.ObjectAt("spec");
        spec.TryAdd("replicas", 1);
        spec.TryAdd("revisionHistoryLimit", 10);
        if (type.Kind == "Deployment")
        {
            spec.TryAdd("progressDeadlineSeconds", 600);
            if (!spec.ContainsKey("strategy"))
            {
                spec["strategy"] = new JsonObject
                {
                    ["type"] = "RollingUpdate",
                    ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" },
                };
            }
        }

        if (spec["template"] is JsonObject template)
        {
            PodSpecDefaults.Apply(template.ObjectAt("spec"));
        }

        var errors = new FieldErrors();
        if (spec["selector"] is not JsonObject selector || (selector["matchLabels"] is null && selector["matchExpressions"] is null))
        {
            errors.Required("spec.selector");
        }
        else
        {
            var templateLabels = (spec.At("template", "metadata") as JsonObject).StringMap("labels");
            var parsed = LabelSelector.FromJson(selector, "spec.selector");
            if (!parsed.Matches(templateLabels))
            {
                errors.Invalid("spec.template.metadata.labels", JsonSerializerNode(templateLabels),
                    "`selector` does not match template `labels`");
            }

            if (old is not null && old.At("spec", "selector") is JsonNode oldSelector && !JsonNode.DeepEquals(oldSelector, selector))
            {
                errors.Invalid("spec.selector", selector, "field is immutable");
            }
        }

        if (spec.LongAt("replicas") is < 0 and var replicas)
        {
            errors.Invalid("spec.replicas", JsonValue.Create(replicas), "must be greater than or equal to 0");
        }

        PodSpecDefaults.Validate(spec.At("template", "spec") as JsonObject, "spec.template.spec", errors);
        errors.ThrowIfAny(type, obj.StringAtPath("metadata", "name") ?? string.Empty);
        return [];
    }

    private static JsonObject JsonSerializerNode(Dictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map)
        {
            o[k] = v;
        }

        return o;
    }
}
