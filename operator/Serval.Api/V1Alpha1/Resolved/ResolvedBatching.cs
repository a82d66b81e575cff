namespace Serval.Api.V1Alpha1;

/// <summary>The worker's dynamic batching.</summary>
/// <param name="MaxBatchSize">The most rows in one batch.</param>
/// <param name="MaxQueueDelayMicroseconds">How long the first request waits for others, in microseconds.</param>
/// <param name="MaxQueueLength">The most requests waiting per worker.</param>
public sealed record ResolvedBatching(int MaxBatchSize, int MaxQueueDelayMicroseconds, int MaxQueueLength);
