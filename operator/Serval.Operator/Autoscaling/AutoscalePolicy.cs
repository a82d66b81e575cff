using Serval.Api.V1Alpha1;

namespace Serval.Operator.Autoscaling;

/// <summary>
/// What the decision works to: the InferenceService's autoscaling spec plus the KPA-style tuning, whose
/// defaults are Knative's (stable 60 s, panic 6 s, panic at 200 %, 70 % target utilisation, scale-up
/// at most ×1000 and scale-down at most ÷2 per decision).
/// </summary>
/// <param name="MinReplicas">The fewest replicas.</param>
/// <param name="MaxReplicas">The most replicas.</param>
/// <param name="Metric">What is kept at <paramref name="Target"/> per replica.</param>
/// <param name="Target">Per-replica target: requests in flight, or requests per second.</param>
/// <param name="LatencySloMilliseconds">The p95 objective; guards every metric when set.</param>
/// <param name="ScaleDownDelay">How long a lower count must be asked for before it is used.</param>
internal sealed record AutoscalePolicy(
    int MinReplicas,
    int MaxReplicas,
    AutoscalingMetric Metric,
    double Target,
    double? LatencySloMilliseconds,
    TimeSpan ScaleDownDelay)
{
    /// <summary>The long window the steady decision averages over.</summary>
    public TimeSpan StableWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The short window that detects bursts.</summary>
    public TimeSpan PanicWindow { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Panic starts when the panic window asks for this many times the ready replicas.</summary>
    public double PanicThreshold { get; init; } = 2.0;

    /// <summary>The share of <see cref="Target"/> (or of a replica's measured capacity) to aim for; the rest absorbs noise.</summary>
    public double TargetUtilization { get; init; } = 0.7;

    /// <summary>The most one decision may multiply the ready replicas by.</summary>
    public double MaxScaleUpRate { get; init; } = 1000;

    /// <summary>The most one decision may divide the ready replicas by.</summary>
    public double MaxScaleDownRate { get; init; } = 2;

    /// <summary>
    /// Whether a saturated revision's queue counts as backlog rather than load (see <see cref="WindowFigures.SteadyConcurrency"/>).
    /// Off, the decision sizes for every request in flight, as Knative's KPA does.
    /// </summary>
    public bool BacklogAware { get; init; } = true;

    /// <summary>
    /// How soon a saturated revision's backlog should be gone once the replicas asked for serve: about one decision
    /// tick. The decision adds the replicas that serve the queued requests within it to those the load needs.
    /// </summary>
    public TimeSpan BacklogDrain { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The policy for a resolved spec.</summary>
    public static AutoscalePolicy From(ResolvedAutoscaling spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new AutoscalePolicy(
            spec.MinReplicas,
            spec.MaxReplicas,
            spec.Metric,
            spec.Target,
            spec.LatencySloMilliseconds,
            TimeSpan.FromSeconds(spec.ScaleDownDelaySeconds));
    }
}
