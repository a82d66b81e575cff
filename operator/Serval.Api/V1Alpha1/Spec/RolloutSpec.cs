using System.Text.Json.Serialization;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>How a new revision (any change to model, runtime, batching, resources or scheduling) replaces the stable one.</summary>
public sealed class RolloutSpec : IHasValidationRules<RolloutSpec>
{
    /// <summary>Canary (traffic moves step by step under analysis) or Immediate (all traffic as soon as the new revision is ready).</summary>
    [EnumValues(typeof(RolloutStrategy))]
    [Default(InferenceServiceDefaults.Strategy)]
    [JsonPropertyName("strategy")]
    public string? Strategy { get; set; }

    /// <summary>
    /// The canary's share of traffic at each step, in percent, strictly increasing, each 1 to 99. After the last
    /// step passes, the canary is promoted to 100 %.
    /// </summary>
    [ListType("atomic")]
    [MinItems(1)]
    [MaxItems(20)]
    [Minimum(1, Items = true)]
    [Maximum(99, Items = true)]
    [Default(typeof(InferenceServiceDefaults), nameof(InferenceServiceDefaults.Steps))]
    [JsonPropertyName("steps")]
    public IList<int>? Steps { get; set; }

    /// <summary>How long each step lasts, in seconds, before it is judged.</summary>
    [Minimum(1)]
    [Maximum(86_400)]
    [Default(InferenceServiceDefaults.StepIntervalSeconds)]
    [JsonPropertyName("stepIntervalSeconds")]
    public int? StepIntervalSeconds { get; set; }

    /// <summary>
    /// How long, in seconds, the new revision may take to become ready, or a step to gather minRequests; past it
    /// the rollout fails and traffic stays on the stable revision.
    /// </summary>
    [Minimum(1)]
    [Maximum(86_400)]
    [Default(InferenceServiceDefaults.ProgressDeadlineSeconds)]
    [JsonPropertyName("progressDeadlineSeconds")]
    public int? ProgressDeadlineSeconds { get; set; }

    /// <summary>The limits each canary step is checked against.</summary>
    [JsonPropertyName("analysis")]
    public AnalysisSpec? Analysis { get; set; }

    /// <summary>
    /// Pins the canary's share of traffic, in percent, and stops automatic progress (no steps, no promotion, no
    /// rollback): a manual split. Remove it to resume the steps. Only with strategy Canary.
    /// </summary>
    [Minimum(0)]
    [Maximum(100)]
    [JsonPropertyName("canaryTrafficPercent")]
    public int? CanaryTrafficPercent { get; set; }

    /// <summary>Requests the new revision must answer like the stable one before it gets traffic. Absent: no smoke test.</summary>
    [JsonPropertyName("smokeTest")]
    public SmokeTestSpec? SmokeTest { get; set; }

    /// <summary>Steps increase; a pinned split needs the Canary strategy.</summary>
    public static IReadOnlyList<ValidationRule<RolloutSpec>> ValidationRules { get; } =
    [
        new("!has(self.steps) || (self.steps.isSorted() && self.steps.all(s, self.steps.exists_one(t, t == s)))",
            "steps must be strictly increasing, for example [10, 25, 50]",
            r => r.Steps is null || r.Steps.Zip(r.Steps.Skip(1)).All(p => p.First < p.Second))
        {
            FieldPath = ".steps",
        },
        new("!has(self.canaryTrafficPercent) || !has(self.strategy) || self.strategy == 'Canary'",
            "canaryTrafficPercent needs strategy Canary",
            r => r.CanaryTrafficPercent is null || r.Strategy is null || r.Strategy == nameof(RolloutStrategy.Canary))
        {
            FieldPath = ".canaryTrafficPercent",
            Kind = ValidationErrorKind.Forbidden,
        },
    ];
}
