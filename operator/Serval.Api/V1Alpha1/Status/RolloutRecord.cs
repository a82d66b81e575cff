using System.Text.Json.Serialization;

namespace Serval.Api.V1Alpha1;

/// <summary>A finished rollout.</summary>
public sealed class RolloutRecord
{
    /// <summary>The revision that was rolled out.</summary>
    [JsonPropertyName("revision")]
    public string? Revision { get; set; }

    /// <summary>Promoted, RolledBack, Failed or Superseded.</summary>
    [JsonPropertyName("outcome")]
    public string? Outcome { get; set; }

    /// <summary>Why, for people.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>When the rollout finished.</summary>
    [JsonPropertyName("time")]
    public DateTime? Time { get; set; }
}
