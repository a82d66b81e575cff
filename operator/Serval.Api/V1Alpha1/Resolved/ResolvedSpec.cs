using k8s.Models;

namespace Serval.Api.V1Alpha1;

/// <summary>
/// An InferenceService's spec with every default applied: what the operator builds from. Immutable; built by
/// <see cref="InferenceService.Resolve"/>, never written back to the object.
/// </summary>
/// <param name="Model">The model.</param>
/// <param name="Runtime">The worker.</param>
/// <param name="Batching">Dynamic batching.</param>
/// <param name="Resources">Container resources, as written (empty when absent).</param>
/// <param name="Gpus">The GPU limits by resource name (empty for a CPU service).</param>
/// <param name="Accelerator">The GPU model and memory the nodes need, or null.</param>
/// <param name="Scheduling">Placement.</param>
/// <param name="Autoscaling">Replica bounds and the metric.</param>
/// <param name="Rollout">How new revisions take over.</param>
/// <param name="Traffic">Gateway API routing, or null for the replica-ratio split.</param>
public sealed record ResolvedSpec(
    ResolvedModel Model,
    ResolvedRuntime Runtime,
    ResolvedBatching Batching,
    V1ResourceRequirements Resources,
    IReadOnlyDictionary<string, decimal> Gpus,
    ResolvedAccelerator? Accelerator,
    ResolvedScheduling Scheduling,
    ResolvedAutoscaling Autoscaling,
    ResolvedRollout Rollout,
    ResolvedTraffic? Traffic);
