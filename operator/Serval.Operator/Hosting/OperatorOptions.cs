using Prometheus;
using Serval.Controllers.Leadership;
using Serval.Operator.Rollout;
using Serval.Operator.Status;

namespace Serval.Operator.Hosting;

/// <summary>How an <see cref="OperatorHost"/> runs, and the seams other parts of the operator plug into.</summary>
public sealed class OperatorOptions
{
    /// <summary>Watch one namespace only; null watches all.</summary>
    public string? Namespace { get; set; }

    /// <summary>Port of /healthz, /readyz and /metrics; 0 picks a free port, null serves none.</summary>
    public int? HealthPort { get; set; } = 8081;

    public string HealthBindAddress { get; set; } = "0.0.0.0";

    /// <summary>InferenceServices reconciled at once.</summary>
    public int MaxConcurrentReconciles { get; set; } = 4;

    /// <summary>Leader election; <see cref="LeaderElectionOptions.Enabled"/> is off unless set.</summary>
    public LeaderElectionOptions LeaderElection { get; set; } = new();

    /// <summary>Whether the heap is compacted and its free memory returned to the OS after a burst of reconciles.</summary>
    public bool MemoryTrim { get; set; } = true;

    /// <summary>How long in-flight reconciles may take to finish on shutdown.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether to manage HTTPRoutes: null asks the API server at start whether it serves
    /// gateway.networking.k8s.io/v1 HTTPRoute; without it, an InferenceService with traffic.gatewayRef gets
    /// TrafficReady False instead of a route.
    /// </summary>
    public bool? GatewayRoutes { get; set; }

    /// <summary>The strategy for <c>rollout.strategy: Canary</c>; null uses the canary engine (steps, analysis, smoke test, promotion and rollback).</summary>
    public IRolloutStrategy? CanaryStrategy { get; set; }

    /// <summary>
    /// Per-revision windows for canary analysis; null uses <see cref="Observations"/> when it offers them, else the
    /// canary waits for figures (and fails at its progress deadline).
    /// </summary>
    internal Rollout.Canary.ICanaryMetrics? CanaryMetrics { get; set; }

    /// <summary>
    /// The worker image of InferenceServices that leave <c>spec.runtime.image</c> out; null uses the built-in
    /// default. Applied when pods are built, never written into the objects; changing it rolls those services.
    /// </summary>
    public string? DefaultWorkerImage { get; set; }

    /// <summary>What status.url says; null uses <see cref="ClusterServiceUrlProvider"/>.</summary>
    public IServiceUrlProvider? UrlProvider { get; set; }

    /// <summary>Measurements for status.metrics, status.autoscaling and canary analysis; null means none.</summary>
    public IRevisionObservations? Observations { get; set; }

    /// <summary>Base backoff of a failed reconcile (exponential per item up to <see cref="MaxRetryDelay"/>).</summary>
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(1000);

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Where the operator's metrics go; null uses the process-wide default registry.</summary>
    public CollectorRegistry? Registry { get; set; }

    /// <summary>Throws with the option and value when one is unusable.</summary>
    public void Validate()
    {
        if (MaxConcurrentReconciles is < 1 or > 1024)
        {
            throw new ArgumentException($"{nameof(OperatorOptions)}.{nameof(MaxConcurrentReconciles)} must be 1..1024, got {MaxConcurrentReconciles}.");
        }

        if (MinRetryDelay <= TimeSpan.Zero || MaxRetryDelay < MinRetryDelay)
        {
            throw new ArgumentException(
                $"{nameof(OperatorOptions)}: retry delays must be positive with {nameof(MinRetryDelay)} ({MinRetryDelay}) <= {nameof(MaxRetryDelay)} ({MaxRetryDelay}).");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, $"{nameof(OperatorOptions)}.{nameof(TimeProvider)}");
        ArgumentNullException.ThrowIfNull(LeaderElection, $"{nameof(OperatorOptions)}.{nameof(LeaderElection)}");
    }
}
