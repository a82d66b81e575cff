namespace Serval.Api.V1Alpha1;

/// <summary>The GPU the nodes must have.</summary>
/// <param name="Product">The <c>nvidia.com/gpu.product</c> label value, or null for any.</param>
/// <param name="MinMemoryMiB">The least <c>nvidia.com/gpu.memory</c>, in MiB, or null for any.</param>
public sealed record ResolvedAccelerator(string? Product, int? MinMemoryMiB);
