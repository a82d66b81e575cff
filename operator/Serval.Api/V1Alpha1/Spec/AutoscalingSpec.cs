using System.Text.Json.Serialization;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>
/// How many replicas each revision runs. The operator measures the metric on every ready pod, derives the desired
/// replicas and hands them to the revision's HorizontalPodAutoscaler, which stays within minReplicas and maxReplicas.
/// </summary>
public sealed class AutoscalingSpec : IHasValidationRules<AutoscalingSpec>
{
    /// <summary>The fewest replicas, even without traffic.</summary>
    [Minimum(1)]
    [Maximum(1000)]
    [Default(InferenceServiceDefaults.MinReplicas)]
    [JsonPropertyName("minReplicas")]
    public int? MinReplicas { get; set; }

    /// <summary>The most replicas. At least minReplicas.</summary>
    [Minimum(1)]
    [Maximum(1000)]
    [Default(InferenceServiceDefaults.MaxReplicas)]
    [JsonPropertyName("maxReplicas")]
    public int? MaxReplicas { get; set; }

    /// <summary>
    /// What to keep at the target per replica: Concurrency (requests in flight), RequestsPerSecond, Latency (p95
    /// under latencySloMilliseconds) or Cpu (percent of the CPU request).
    /// </summary>
    [EnumValues(typeof(AutoscalingMetric))]
    [Default(InferenceServiceDefaults.Metric)]
    [JsonPropertyName("metric")]
    public string? Metric { get; set; }

    /// <summary>
    /// The value of the metric each replica should carry: requests in flight (Concurrency), requests per second
    /// (RequestsPerSecond) or percent of the CPU request (Cpu). Not used with Latency.
    /// </summary>
    [Minimum(0, Exclusive = true)]
    [Maximum(1_000_000)]
    [Default(InferenceServiceDefaults.Target)]
    [JsonPropertyName("target")]
    public int? Target { get; set; }

    /// <summary>
    /// The p95 latency objective, in milliseconds. With metric Latency the replicas follow it; with the other
    /// metrics it is a guard: while p95 is above it, the autoscaler does not scale down and adds replicas. Required
    /// with metric Latency; absent otherwise means no guard.
    /// </summary>
    [Minimum(1)]
    [Maximum(600_000)]
    [JsonPropertyName("latencySloMilliseconds")]
    public int? LatencySloMilliseconds { get; set; }

    /// <summary>How long, in seconds, the desired replicas must stay lower before a revision scales down.</summary>
    [Minimum(0)]
    [Maximum(3600)]
    [Default(InferenceServiceDefaults.ScaleDownDelaySeconds)]
    [JsonPropertyName("scaleDownDelaySeconds")]
    public int? ScaleDownDelaySeconds { get; set; }

    /// <summary>The bounds are ordered; the Latency metric has an objective.</summary>
    public static IReadOnlyList<ValidationRule<AutoscalingSpec>> ValidationRules { get; } =
    [
        new($"(has(self.minReplicas) ? self.minReplicas : {InferenceServiceDefaults.MinReplicas}) <= (has(self.maxReplicas) ? self.maxReplicas : {InferenceServiceDefaults.MaxReplicas})",
            $"minReplicas must be less than or equal to maxReplicas (default {InferenceServiceDefaults.MaxReplicas})",
            a => (a.MinReplicas ?? InferenceServiceDefaults.MinReplicas) <= (a.MaxReplicas ?? InferenceServiceDefaults.MaxReplicas))
        {
            FieldPath = ".minReplicas",
        },
        new("!has(self.metric) || self.metric != 'Latency' || has(self.latencySloMilliseconds)",
            "metric Latency needs latencySloMilliseconds, the p95 objective to scale on",
            a => a.Metric != nameof(AutoscalingMetric.Latency) || a.LatencySloMilliseconds is not null)
        {
            FieldPath = ".latencySloMilliseconds",
            Kind = ValidationErrorKind.Required,
        },
    ];
}
