using System.Text.Json.Serialization;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>
/// Which GPUs the pods need, matched against the node labels NVIDIA GPU Feature Discovery writes
/// (<c>nvidia.com/gpu.product</c>, <c>nvidia.com/gpu.memory</c>). Needs a GPU limit in <c>resources</c>.
/// </summary>
public sealed class AcceleratorSpec
{
    /// <summary>The GPU model, as the node label <c>nvidia.com/gpu.product</c> spells it, e.g. NVIDIA-H100-80GB-HBM3.</summary>
    [MaxLength(63)]
    [Pattern(Patterns.LabelValue)]
    [JsonPropertyName("product")]
    public string? Product { get; set; }

    /// <summary>The least memory per GPU, in MiB (the node label <c>nvidia.com/gpu.memory</c> must be at least this).</summary>
    [Minimum(1)]
    [Maximum(16_777_216)]
    [JsonPropertyName("minMemoryMiB")]
    public int? MinMemoryMiB { get; set; }
}
