using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Resources;

/// <summary>
/// What a resource's writes get beyond the common metadata rules: defaults, validation, pruning and derived fields.
/// Implementations throw <see cref="Server.ApiException"/> (422 Invalid) with field causes.
/// </summary>
internal interface IResourceStrategy
{
    /// <summary>Defaults, prunes and validates <paramref name="obj"/> in place; <paramref name="old"/> is null on create.</summary>
    /// <returns>Warnings to send back (Warning headers), such as pruned fields under fieldValidation=Warn.</returns>
    IReadOnlyList<string> Admit(ResourceType type, JsonObject obj, JsonObject? old, AdmissionOptions options);
}
