using System.Globalization;
using Serval.Api.V1Alpha1;

namespace Serval.Operator.Autoscaling;

/// <summary>
/// The replica decision, a pure function of the policy, what the workers reported, the previous state and
/// the time. Shaped like Knative's KPA: a stable window for steady load and a panic window that reacts to
/// bursts within one tick, plus a latency guard and the rule that missing metrics never scale down (the
/// HPA's rule too). The operator and the simulation benchmark both call this one copy.
/// </summary>
internal static class Autoscaler
{
    // Most revisions of a large fleet have no figures most of the time: one string per count, not one per tick.
    private static readonly string[] Holding = [.. Enumerable.Range(0, 64).Select(n => string.Create(CultureInfo.InvariantCulture, $"no metrics: holding {n}"))];

    /// <summary>Decides the replicas for one revision.</summary>
    public static AutoscaleDecision Decide(AutoscalePolicy policy, AutoscaleObservation observed, AutoscaleState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(state);
        var current = observed.CurrentReplicas;
        if (observed.Stable is not { } stable)
        {
            var held = Math.Clamp(current, policy.MinReplicas, policy.MaxReplicas);
            return new AutoscaleDecision(held, held < Holding.Length ? Holding[held] : $"no metrics: holding {held}", state.PanicSince is not null, state);
        }

        var panicFigures = observed.Panic ?? stable;
        var slo = policy.LatencySloMilliseconds ?? (policy.Metric == AutoscalingMetric.Latency ? policy.Target : null);
        var rawStable = Demand(policy, stable, slo);
        var rawPanic = Demand(policy, panicFigures, slo);
        var desiredStable = Ceiling(rawStable);
        var desiredPanic = Ceiling(rawPanic);
        string? why = null;

        // Saturated replicas in the newest scrape interval: the load stepped up. The panic window still averages the
        // step with the calm before it, so it would ask for the replicas over several ticks, each a pod start late.
        // Every request behind the backlog is late until it drains, so the backlog counts as arrivals spread over
        // BacklogDrain on top of the load itself.
        var latest = observed.Latest is { Saturated: true } l
            ? l with { QueueGrowthPerSecond = Math.Max(0, l.QueueGrowthPerSecond) + (l.QueueDepth / policy.BacklogDrain.TotalSeconds) }
            : null;
        if (latest is not null)
        {
            rawPanic = Math.Max(rawPanic, Demand(policy, latest, slo));
            desiredPanic = Ceiling(rawPanic);
        }

        // Latency guard: the SLO caps how busy a replica may run, whatever the metric.
        var p95 = panicFigures.LatencyP95Milliseconds ?? stable.LatencyP95Milliseconds;
        var overSlo = slo is { } s && p95 > s;
        if (slo is { } sloMs)
        {
            var guard = Math.Max(Ceiling(LatencyDemand(stable, sloMs, policy.TargetUtilization)), Ceiling(LatencyDemand(panicFigures, sloMs, policy.TargetUtilization)));
            if (latest is not null)
            {
                guard = Math.Max(guard, Ceiling(LatencyDemand(latest, sloMs, policy.TargetUtilization)));
            }

            // Pods still starting are capacity on the way: only ask for more when none is coming.
            if (overSlo && observed.ReadyReplicas >= current)
            {
                guard = Math.Max(guard, current + 1);
            }

            if (guard > Math.Max(desiredStable, desiredPanic))
            {
                why = overSlo
                    ? $"latency guard: p95 {Fmt(p95!.Value)} ms over SLO {Fmt(sloMs)} ms"
                    : $"latency guard: {guard} replicas keep p95 under SLO {Fmt(sloMs)} ms";
                desiredStable = Math.Max(desiredStable, guard);
                desiredPanic = Math.Max(desiredPanic, guard);
            }
        }

        // A saturated queue that stood still over both windows: clients that wait for each answer before sending the
        // next keep arrivals equal to completions, so arrivals show no more demand than is served and the backlog
        // rule would never scale. Add one replica at a time (none while pods are still starting) until the queue moves.
        if (policy.BacklogAware && policy.Metric == AutoscalingMetric.Concurrency && observed.ReadyReplicas >= current
            && stable.Saturated && stable.QueueStanding && panicFigures.Saturated && panicFigures.QueueStanding
            && current + 1 > Math.Max(desiredStable, desiredPanic))
        {
            why = $"standing queue: {Fmt(panicFigures.QueueDepth)} requests waiting behind {Fmt(panicFigures.Concurrency - panicFigures.QueueDepth)} in service";
            desiredStable = current + 1;
            desiredPanic = Math.Max(desiredPanic, current + 1);
        }

        var ready = Math.Max(1, observed.ReadyReplicas);
        var overThreshold = desiredPanic / (double)ready >= policy.PanicThreshold;
        DateTimeOffset? panicSince = overThreshold ? now
            : state.PanicSince is { } since && now - since < policy.StableWindow ? since : null;
        var desired = desiredStable;
        var panicDesired = 0;
        if (panicSince is not null)
        {
            desired = Math.Max(Math.Max(desiredStable, desiredPanic), state.PanicSince is null ? 0 : state.PanicDesired);
            panicDesired = desired;
            if (why is null && overThreshold)
            {
                why = $"panic: {Describe(policy.Metric)} {Fmt(rawPanic * policy.TargetUtilization / ready)}× target";
            }
            else
            {
                why ??= $"panic: holding {desired} until {Fmt(policy.StableWindow.TotalSeconds)} s calm";
            }
        }

        desired = Math.Min(desired, (int)Math.Ceiling(policy.MaxScaleUpRate * ready));
        desired = Math.Max(desired, (int)Math.Floor(ready / policy.MaxScaleDownRate));
        if (observed.MissingPods > 0 && desired < current)
        {
            desired = current;
            why = $"metrics missing from {observed.MissingPods} pod(s): not scaling down";
        }

        if (overSlo && desired < current)
        {
            desired = current;
        }

        var bounded = Math.Clamp(desired, policy.MinReplicas, policy.MaxReplicas);
        why ??= $"{Describe(policy.Metric)} {Fmt(Load(policy, stable))} for target {Fmt(TargetFor(policy, stable, slo))} per replica";
        if (bounded != desired)
        {
            why += bounded == policy.MaxReplicas ? $" (at maxReplicas {policy.MaxReplicas})" : $" (at minReplicas {policy.MinReplicas})";
        }

        // Without history (a fresh start) the replicas running now stand as the last recommendation, so a
        // restarted operator waits out the delay too instead of scaling down at once.
        var history = state.Recent.IsEmpty
            ? [new Recommendation(now, Math.Clamp(current, policy.MinReplicas, policy.MaxReplicas))]
            : state.Recent;

        // The highest recommendation within the delay, kept as a sliding-window maximum: a recommendation no higher
        // than a newer one can never be the maximum again (the newer one outlives it), so the list stays short and
        // descending, its head the answer. A plain history would hold every tick of the delay (150 at 2 s for 300 s).
        var recent = history.RemoveAll(r => now - r.At >= policy.ScaleDownDelay || r.Replicas <= bounded).Add(new Recommendation(now, bounded));

        // A lowered maxReplicas (or raised minReplicas) applies at once: the delay holds scale-downs, not the bounds.
        var final = Math.Clamp(recent[0].Replicas, policy.MinReplicas, policy.MaxReplicas);
        if (final > bounded)
        {
            why = $"scale-down delay: holding {final} (wants {bounded}) for {Fmt(policy.ScaleDownDelay.TotalSeconds)} s";
        }

        return new AutoscaleDecision(final, why, panicSince is not null, new AutoscaleState(panicSince, panicDesired, recent));
    }

    /// <summary>Replicas the figures call for, unrounded.</summary>
    private static double Demand(AutoscalePolicy policy, WindowFigures f, double? slo) => policy.Metric switch
    {
        AutoscalingMetric.Concurrency => Concurrency(policy, f) / (policy.Target * policy.TargetUtilization),
        AutoscalingMetric.RequestsPerSecond => f.ArrivalsPerSecond / (policy.Target * policy.TargetUtilization),
        AutoscalingMetric.Latency => slo is { } ms ? LatencyDemand(f, ms, policy.TargetUtilization) : 0,
        _ => Concurrency(policy, f) / (policy.Target * policy.TargetUtilization),
    };

    private static double Concurrency(AutoscalePolicy policy, WindowFigures f) => policy.BacklogAware ? f.SteadyConcurrency : f.Concurrency;

    /// <summary>
    /// Little's law with the measured service time S = 1 / capacity: a replica busy a share ρ of the time
    /// answers in about S / (1 - ρ), so it may run at most ρ = 1 - S / SLO busy (and never above the target
    /// utilisation). Arrivals include the queue growth, so a queue that piles up asks for more.
    /// </summary>
    internal static double LatencyDemand(WindowFigures f, double sloMilliseconds, double utilization)
    {
        if (f.CapacityPerReplica is not { } capacity || capacity <= 0)
        {
            return 0;
        }

        var serviceSeconds = 1 / capacity;
        var busiest = Math.Clamp(1 - (serviceSeconds * 1000 / sloMilliseconds), 0.05, utilization);
        return f.ArrivalsPerSecond / (capacity * busiest);
    }

    private static double Load(AutoscalePolicy policy, WindowFigures f) => policy.Metric switch
    {
        AutoscalingMetric.RequestsPerSecond or AutoscalingMetric.Latency => f.ArrivalsPerSecond,
        _ => Concurrency(policy, f),
    };

    private static double TargetFor(AutoscalePolicy policy, WindowFigures f, double? slo) =>
        policy.Metric == AutoscalingMetric.Latency && slo is { } ms && f.CapacityPerReplica is { } c
            ? c * Math.Clamp(1 - (1000 / c / ms), 0.05, policy.TargetUtilization)
            : policy.Target * policy.TargetUtilization;

    private static string Describe(AutoscalingMetric metric) => metric switch
    {
        AutoscalingMetric.RequestsPerSecond => "requests per second",
        AutoscalingMetric.Latency => "arrivals per second",
        _ => "concurrency",
    };

    private static int Ceiling(double replicas) => (int)Math.Ceiling(Math.Max(0, replicas) - 1e-9);

    private static string Fmt(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
