namespace Serval.Worker.Batching;

/// <summary>Batching limits: most rows per session call, and the longest wait (in timestamp ticks) for a batch to fill.</summary>
internal sealed record BatchPolicy(int MaxBatchRows, long MaxDelayTicks);
