namespace Serval.Api.V1Alpha1;

/// <summary>
/// The values the operator uses for absent fields. They live here, not in the stored object: the API server never
/// writes them back, so Git keeps owning the spec. The <c>[Default]</c> attributes on the fields read these constants.
/// </summary>
public static class InferenceServiceDefaults
{
    /// <summary>The worker image when <c>runtime.image</c> is absent.</summary>
    public const string WorkerImage = "ghcr.io/serval-dev/serval-worker:0.1.0";

    /// <summary><c>runtime.executionProvider</c>.</summary>
    public const ExecutionProvider ExecutionProvider = V1Alpha1.ExecutionProvider.Auto;

    /// <summary><c>runtime.intraOpThreads</c>: 0 lets ONNX Runtime choose.</summary>
    public const int IntraOpThreads = 0;

    /// <summary><c>runtime.authTokenSecretRef.key</c>.</summary>
    public const string AuthTokenKey = "token";

    /// <summary><c>batching.maxBatchSize</c>.</summary>
    public const int MaxBatchSize = 16;

    /// <summary><c>batching.maxQueueDelayMicroseconds</c>.</summary>
    public const int MaxQueueDelayMicroseconds = 500;

    /// <summary><c>batching.maxQueueLength</c>.</summary>
    public const int MaxQueueLength = 256;

    /// <summary><c>scheduling.spot</c>.</summary>
    public const bool Spot = false;

    /// <summary><c>autoscaling.minReplicas</c>.</summary>
    public const int MinReplicas = 1;

    /// <summary><c>autoscaling.maxReplicas</c>.</summary>
    public const int MaxReplicas = 8;

    /// <summary><c>autoscaling.metric</c>.</summary>
    public const AutoscalingMetric Metric = AutoscalingMetric.Concurrency;

    /// <summary><c>autoscaling.target</c>.</summary>
    public const int Target = 4;

    /// <summary><c>autoscaling.scaleDownDelaySeconds</c>.</summary>
    public const int ScaleDownDelaySeconds = 300;

    /// <summary><c>rollout.strategy</c>.</summary>
    public const RolloutStrategy Strategy = RolloutStrategy.Canary;

    /// <summary><c>rollout.steps</c>: the canary's traffic percentages, in order.</summary>
    public static IReadOnlyList<int> Steps { get; } = [10, 25, 50];

    /// <summary><c>rollout.stepIntervalSeconds</c>.</summary>
    public const int StepIntervalSeconds = 60;

    /// <summary><c>rollout.progressDeadlineSeconds</c>.</summary>
    public const int ProgressDeadlineSeconds = 600;

    /// <summary><c>rollout.analysis.maxErrorRatePercent</c>.</summary>
    public const double MaxErrorRatePercent = 1;

    /// <summary><c>rollout.analysis.maxLatencyP95Milliseconds</c>.</summary>
    public const int MaxLatencyP95Milliseconds = 200;

    /// <summary><c>rollout.analysis.minRequests</c>.</summary>
    public const int MinRequests = 50;

    /// <summary><c>rollout.analysis.failureThreshold</c>.</summary>
    public const int FailureThreshold = 2;

    /// <summary><c>rollout.smokeTest.tolerance</c>: the largest absolute difference allowed per output value.</summary>
    public const double SmokeTestTolerance = 0.01;
}
