namespace Serval.Worker.Batching;

/// <summary>How the scheduler queues and batches.</summary>
/// <param name="MaxBatchRows">Most rows per session call; 1 turns batching off.</param>
/// <param name="MaxQueueDelay">Longest a request waits for others to join its batch.</param>
/// <param name="MaxQueueLength">Queued requests before <see cref="InferenceScheduler.TryEnqueue"/> refuses.</param>
/// <param name="Instances">Session calls that may run at once.</param>
internal sealed record SchedulerSettings(int MaxBatchRows, TimeSpan MaxQueueDelay, int MaxQueueLength, int Instances);
