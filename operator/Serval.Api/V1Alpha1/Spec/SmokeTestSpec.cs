using System.Text.Json.Serialization;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>
/// Requests a new revision must answer like the stable one before it gets any traffic. Each key of the ConfigMap
/// whose name ends in <c>.json</c> holds one Open Inference Protocol request; it is sent to both revisions and every
/// output value must agree within the tolerance. A failed smoke test rolls the new revision back.
/// </summary>
public sealed class SmokeTestSpec
{
    /// <summary>The ConfigMap, in the InferenceService's namespace, holding the requests.</summary>
    [Required]
    [MaxLength(253)]
    [Pattern(Patterns.DnsSubdomain)]
    [JsonPropertyName("configMapName")]
    public string? ConfigMapName { get; set; }

    /// <summary>The largest absolute difference allowed between the two revisions' output values.</summary>
    [Minimum(0)]
    [Maximum(1_000_000)]
    [Default(InferenceServiceDefaults.SmokeTestTolerance)]
    [JsonPropertyName("tolerance")]
    public double? Tolerance { get; set; }
}
