using Prometheus;

namespace Serval.Controllers.Monitoring;

/// <summary>
/// The runtime's Prometheus metrics, registered in one registry (the default one in the
/// operator; a fresh one per test).
/// </summary>
public sealed class ControllerMetrics
{
    public ControllerMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        ReconcileTotal = factory.CreateCounter(
            "serval_reconcile_total",
            "Reconciles finished, by controller and result (success, error, requeue).",
            new CounterConfiguration { LabelNames = ["controller", "result"] });
        ReconcileDuration = factory.CreateHistogram(
            "serval_reconcile_duration_seconds",
            "Time one reconcile took, by controller.",
            new HistogramConfiguration
            {
                LabelNames = ["controller"],
                Buckets = Histogram.ExponentialBuckets(0.001, 2, 16),
            });
        WorkQueueDepth = factory.CreateGauge(
            "serval_workqueue_depth",
            "Items ready in a controller's work queue, by controller.",
            new GaugeConfiguration { LabelNames = ["controller"] });
        WatchRestarts = factory.CreateCounter(
            "serval_watch_restarts_total",
            "Watches that ended and were restarted, by kind and reason (closed, gone, watchdog, error).",
            new CounterConfiguration { LabelNames = ["kind", "reason"] });
        MemoryTrims = factory.CreateCounter(
            "serval_memory_trims_total",
            "Times the heap was compacted and its free memory returned to the OS after a burst of work.");
        MemoryTrimmedBytes = factory.CreateCounter(
            "serval_memory_trimmed_bytes_total",
            "Committed heap memory returned to the OS by those trims.");
    }

    public CollectorRegistry Registry { get; }

    public Counter ReconcileTotal { get; }

    public Histogram ReconcileDuration { get; }

    public Gauge WorkQueueDepth { get; }

    public Counter WatchRestarts { get; }

    public Counter MemoryTrims { get; }

    public Counter MemoryTrimmedBytes { get; }
}
