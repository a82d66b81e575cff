using System.Text.Json.Serialization;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>A Gateway API Gateway.</summary>
public sealed class GatewayReference
{
    /// <summary>The Gateway's name.</summary>
    [Required]
    [MaxLength(253)]
    [Pattern(Patterns.DnsSubdomain)]
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The Gateway's namespace; its listeners must allow routes from the InferenceService's namespace.</summary>
    [MaxLength(63)]
    [Pattern(Patterns.DnsLabel)]
    [Default("the InferenceService's namespace", Literal = false)]
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}
