namespace Serval.Api.V1Alpha1;

/// <summary>A key of a Secret in the InferenceService's namespace.</summary>
/// <param name="Name">The Secret's name.</param>
/// <param name="Key">The key.</param>
public sealed record ResolvedSecretKey(string Name, string Key);
