using System.Text.Json.Serialization;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>A key of a Secret in the InferenceService's namespace.</summary>
public sealed class SecretKeyReference
{
    /// <summary>The Secret's name.</summary>
    [Required]
    [MaxLength(253)]
    [Pattern(Patterns.DnsSubdomain)]
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The key inside the Secret.</summary>
    [MaxLength(253)]
    [Pattern(Patterns.ConfigKey)]
    [Default(InferenceServiceDefaults.AuthTokenKey)]
    [JsonPropertyName("key")]
    public string? Key { get; set; }
}
