using Prometheus;

namespace Serval.Worker.Observability;

/// <summary>
/// The worker's Prometheus metrics, in its own registry. <c>serval_inference_*</c> are the
/// operator's contract (autoscaling and canary analysis read them); the <c>nv_inference_*</c>
/// counters carry Triton's names and meaning so existing Triton dashboards work.
/// </summary>
internal sealed class WorkerMetrics
{
    /// <summary>Request latency buckets in seconds: fine enough from 0.5 ms to 10 s.</summary>
    internal static readonly double[] LatencyBuckets =
        [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];

    private static readonly string[] OutcomeLabels = ["success", "client_error", "server_error", "rejected", "cancelled"];

    private readonly Counter.Child[] _requests;
    private readonly Histogram.Child _requestDuration;
    private readonly Histogram.Child _queueDuration;
    private readonly Histogram.Child _computeDuration;
    private readonly Histogram.Child _batchSize;
    private readonly Gauge.Child _inFlight;
    private readonly Gauge.Child _queueDepth;
    private readonly Gauge.Child _modelLoad;
    private readonly Gauge.Child _ready;
    private readonly Counter.Child _executions;
    private readonly Counter.Child _nvSuccess;
    private readonly Counter.Child _nvFailure;
    private readonly Counter.Child _nvCount;
    private readonly Counter.Child _nvExecCount;
    private readonly Counter.Child _nvRequestDuration;
    private readonly Counter.Child _nvQueueDuration;
    private readonly Counter.Child _nvComputeDuration;
    private readonly Gauge.Child _nvPending;

    public WorkerMetrics(CollectorRegistry registry, string model, string version)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        string[] modelLabel = ["model"];
        var requests = factory.CreateCounter(
            "serval_inference_requests_total", "Inference requests by outcome: success, client_error, server_error, rejected (429 or not ready), cancelled.",
            ["model", "outcome"]);
        _requests = OutcomeLabels.Select(o => requests.WithLabels(model, o)).ToArray();
        _requestDuration = factory.CreateHistogram(
            "serval_inference_request_duration_seconds", "Time from receiving an inference request to its successful answer.",
            modelLabel, new HistogramConfiguration { Buckets = LatencyBuckets }).WithLabels(model);
        _queueDuration = factory.CreateHistogram(
            "serval_inference_queue_duration_seconds", "Time requests waited in the batching queue.",
            modelLabel, new HistogramConfiguration { Buckets = LatencyBuckets }).WithLabels(model);
        _computeDuration = factory.CreateHistogram(
            "serval_inference_compute_duration_seconds", "Duration of one session call (one batch).",
            modelLabel, new HistogramConfiguration { Buckets = LatencyBuckets }).WithLabels(model);
        _batchSize = factory.CreateHistogram(
            "serval_inference_batch_size", "Rows per session call.",
            modelLabel, new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] }).WithLabels(model);
        _inFlight = factory.CreateGauge(
            "serval_inference_in_flight_requests", "Inference requests received and not yet answered.", modelLabel).WithLabels(model);
        _queueDepth = factory.CreateGauge(
            "serval_inference_queue_depth", "Requests waiting in the batching queue.", modelLabel).WithLabels(model);
        _modelLoad = factory.CreateGauge(
            "serval_inference_model_load_seconds", "Time taken to fetch, load and warm up the model.", modelLabel).WithLabels(model);
        _ready = factory.CreateGauge(
            "serval_inference_model_ready", "1 when the model is loaded and serving, else 0.", modelLabel).WithLabels(model);
        _executions = factory.CreateCounter(
            "serval_inference_executions_total", "Session calls (batches) run.", modelLabel).WithLabels(model);

        string[] tritonLabels = ["model", "version"];
        _nvSuccess = factory.CreateCounter("nv_inference_request_success", "Number of successful inference requests, all batch sizes", tritonLabels).WithLabels(model, version);
        _nvFailure = factory.CreateCounter("nv_inference_request_failure", "Number of failed inference requests, all batch sizes", tritonLabels).WithLabels(model, version);
        _nvCount = factory.CreateCounter("nv_inference_count", "Number of inferences performed (does not include cached requests)", tritonLabels).WithLabels(model, version);
        _nvExecCount = factory.CreateCounter("nv_inference_exec_count", "Number of model executions performed (does not include cached requests)", tritonLabels).WithLabels(model, version);
        _nvRequestDuration = factory.CreateCounter("nv_inference_request_duration_us", "Cumulative inference request duration in microseconds (includes cached requests)", tritonLabels).WithLabels(model, version);
        _nvQueueDuration = factory.CreateCounter("nv_inference_queue_duration_us", "Cumulative inference queuing duration in microseconds (includes cached requests)", tritonLabels).WithLabels(model, version);
        _nvComputeDuration = factory.CreateCounter("nv_inference_compute_infer_duration_us", "Cumulative compute inference duration in microseconds (does not include cached requests)", tritonLabels).WithLabels(model, version);
        _nvPending = factory.CreateGauge("nv_inference_pending_request_count", "Instantaneous number of pending requests awaiting execution per-model.", tritonLabels).WithLabels(model, version);
    }

    public CollectorRegistry Registry { get; }

    public void RequestStarted() => _inFlight.Inc();

    /// <summary>Counts a finished request; <paramref name="rows"/>, queue and compute times matter for successes only.</summary>
    public void RequestFinished(RequestOutcome outcome, TimeSpan duration, long rows, TimeSpan queueTime, TimeSpan computeTime)
    {
        _inFlight.Dec();
        _requests[(int)outcome].Inc();
        switch (outcome)
        {
            case RequestOutcome.Success:
                _requestDuration.Observe(duration.TotalSeconds);
                _nvSuccess.Inc();
                _nvCount.Inc(Math.Max(rows, 1));
                _nvRequestDuration.Inc(duration.TotalMicroseconds);
                _nvQueueDuration.Inc(queueTime.TotalMicroseconds);
                _nvComputeDuration.Inc(computeTime.TotalMicroseconds);
                break;
            case RequestOutcome.ClientError or RequestOutcome.ServerError or RequestOutcome.Rejected:
                _nvFailure.Inc();
                break;
            default:
                break;
        }
    }

    public void QueueWaited(TimeSpan wait) => _queueDuration.Observe(wait.TotalSeconds);

    public void BatchExecuted(long rows, TimeSpan compute)
    {
        _executions.Inc();
        _nvExecCount.Inc();
        _batchSize.Observe(rows);
        _computeDuration.Observe(compute.TotalSeconds);
    }

    public void QueueDepth(int depth)
    {
        _queueDepth.Set(depth);
        _nvPending.Set(depth);
    }

    public void ModelLoaded(TimeSpan duration)
    {
        _modelLoad.Set(duration.TotalSeconds);
        _ready.Set(1);
    }

    public void NotReady() => _ready.Set(0);
}
