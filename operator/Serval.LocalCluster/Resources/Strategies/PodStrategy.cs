using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;

namespace Serval.LocalCluster.Resources.Strategies;

/// <summary>Pods: spec defaults, containers required, a Pending phase until something reports otherwise.</summary>
internal sealed class PodStrategy : IResourceStrategy
{
    public static readonly PodStrategy Instance = new();

    public IReadOnlyList<string> Admit(ResourceType type, JsonObject obj, JsonObject? old, AdmissionOptions options)
    {
        var spec = obj.ObjectAt("spec");
        PodSpecDefaults.Apply(spec);
        if (old is null)
        {
            obj.ObjectAt("status").TryAdd("phase", "Pending");
            obj.ObjectAt("status").TryAdd("qosClass", "BestEffort");
        }

        var errors = new FieldErrors();
        PodSpecDefaults.Validate(spec, "spec", errors);
        errors.ThrowIfAny(type, obj.StringAtPath("metadata", "name") ?? string.Empty);
        return [];
    }
}
