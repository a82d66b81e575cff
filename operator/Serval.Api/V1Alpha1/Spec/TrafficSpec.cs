using System.Text.Json.Serialization;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>
/// Routes traffic through a Gateway API Gateway: the operator writes an HTTPRoute whose weighted backends split
/// traffic exactly between the stable and canary revisions. Without it, the top-level Service splits traffic by
/// the revisions' replica ratio.
/// </summary>
public sealed class TrafficSpec : IHasValidationRules<TrafficSpec>
{
    /// <summary>The Gateway the HTTPRoute attaches to.</summary>
    [Required]
    [JsonPropertyName("gatewayRef")]
    public GatewayReference? GatewayRef { get; set; }

    /// <summary>Hostnames the HTTPRoute matches (lowercase DNS names, a leading "*." allowed). Absent: the Gateway's listeners decide.</summary>
    [ListType("set")]
    [MaxItems(16)]
    [MaxLength(253, Items = true)]
    [JsonPropertyName("hostnames")]
    public IList<string>? Hostnames { get; set; }

    /// <summary>Hostnames are DNS names.</summary>
    public static IReadOnlyList<ValidationRule<TrafficSpec>> ValidationRules { get; } =
    [
        new($"!has(self.hostnames) || self.hostnames.all(h, h.matches('{Patterns.Hostname}'))",
            "hostnames must be lowercase DNS names, optionally starting with \"*.\", such as models.example.com",
            t => t.Hostnames is null || t.Hostnames.All(h => ModelUri.Matches(h, Patterns.Hostname)))
        {
            FieldPath = ".hostnames",
        },
    ];
}
