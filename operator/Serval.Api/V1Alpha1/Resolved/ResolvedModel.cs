namespace Serval.Api.V1Alpha1;

/// <summary>The model, with its URI parsed and its served name settled.</summary>
/// <param name="Uri">The parsed URI.</param>
/// <param name="Sha256">The expected digest in lowercase hexadecimal, or null.</param>
/// <param name="Name">The served model name (spec.model.name, else the InferenceService's name).</param>
public sealed record ResolvedModel(ModelUri Uri, string? Sha256, string Name);
