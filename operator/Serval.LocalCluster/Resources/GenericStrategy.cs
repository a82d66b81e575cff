using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Resources;

/// <summary>Stores objects as given: for built-in kinds whose content the local cluster does not interpret.</summary>
internal sealed class GenericStrategy : IResourceStrategy
{
    public static readonly GenericStrategy Instance = new();

    public IReadOnlyList<string> Admit(ResourceType type, JsonObject obj, JsonObject? old, AdmissionOptions options) => [];
}
