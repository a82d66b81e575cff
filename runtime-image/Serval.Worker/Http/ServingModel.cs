using Serval.Worker.Batching;
using Serval.Worker.Inference;

namespace Serval.Worker.Http;

/// <summary>A loaded model and the scheduler in front of it.</summary>
internal sealed record ServingModel(ModelSignature Signature, InferenceScheduler Scheduler, string ExecutionProvider);
