using System.Text.Json.Serialization;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>How the worker groups concurrent requests into one ONNX Runtime call.</summary>
public sealed class BatchingSpec : IHasValidationRules<BatchingSpec>
{
    /// <summary>The most requests (rows) in one batch. 1 turns batching off.</summary>
    [Minimum(1)]
    [Maximum(1024)]
    [Default(InferenceServiceDefaults.MaxBatchSize)]
    [JsonPropertyName("maxBatchSize")]
    public int? MaxBatchSize { get; set; }

    /// <summary>
    /// How long, in microseconds, the first request of a batch waits for others before the batch runs anyway.
    /// 0 runs every batch at once.
    /// </summary>
    [Minimum(0)]
    [Maximum(1_000_000)]
    [Default(InferenceServiceDefaults.MaxQueueDelayMicroseconds)]
    [JsonPropertyName("maxQueueDelayMicroseconds")]
    public int? MaxQueueDelayMicroseconds { get; set; }

    /// <summary>
    /// The most requests waiting per worker; more are refused with HTTP 503 so that clients and the autoscaler
    /// see the overload. At least <c>maxBatchSize</c>.
    /// </summary>
    [Minimum(1)]
    [Maximum(100_000)]
    [Default(InferenceServiceDefaults.MaxQueueLength)]
    [JsonPropertyName("maxQueueLength")]
    public int? MaxQueueLength { get; set; }

    /// <summary>The queue holds at least one full batch.</summary>
    public static IReadOnlyList<ValidationRule<BatchingSpec>> ValidationRules { get; } =
    [
        new($"(has(self.maxQueueLength) ? self.maxQueueLength : {InferenceServiceDefaults.MaxQueueLength}) >= (has(self.maxBatchSize) ? self.maxBatchSize : {InferenceServiceDefaults.MaxBatchSize})",
            $"maxQueueLength must be at least maxBatchSize (defaults {InferenceServiceDefaults.MaxQueueLength} and {InferenceServiceDefaults.MaxBatchSize})",
            b => (b.MaxQueueLength ?? InferenceServiceDefaults.MaxQueueLength) >= (b.MaxBatchSize ?? InferenceServiceDefaults.MaxBatchSize))
        {
            FieldPath = ".maxQueueLength",
        },
    ];
}
