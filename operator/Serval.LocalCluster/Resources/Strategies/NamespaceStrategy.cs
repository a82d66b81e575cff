using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;

namespace Serval.LocalCluster.Resources.Strategies;

/// <summary>Namespaces: the kubernetes finalizer, an Active phase and the metadata.name label, as on a real cluster.</summary>
internal sealed class NamespaceStrategy : IResourceStrategy
{
    public const string Finalizer = "kubernetes";

    public static readonly NamespaceStrategy Instance = new();

    public IReadOnlyList<string> Admit(ResourceType type, JsonObject obj, JsonObject? old, AdmissionOptions options)
    {
        var name = obj.StringAtPath("metadata", "name") ?? string.Empty;
        obj.Metadata().ObjectAt("labels")["kubernetes.io/metadata.name"] = name;
        if (old is null)
        {
            obj.ObjectAt("spec")["finalizers"] = new JsonArray(Finalizer);
            obj.ObjectAt("status")["phase"] = "Active";
        }
        else if (old["spec"] is JsonObject oldSpec && !options.StatusWrite)
        {
            // spec.finalizers moves only through the finalize subresource.
            obj["spec"] = oldSpec.DeepClone();
        }

        return [];
    }
}
