using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Cache;
using Serval.Controllers.Events;

namespace Serval.Operator.Autoscaling;

/// <summary>What the autoscaling loop reads and tells: the operator's informer caches, its queue and its Events.</summary>
/// <param name="Services">InferenceServices.</param>
/// <param name="Deployments">Revision Deployments (their replicas are the current count).</param>
/// <param name="Pods">Worker pods (IP, readiness, the <c>http</c> port).</param>
/// <param name="Enqueue">Asks the reconciler to write new figures into status.</param>
/// <param name="Events">Where decision Events go; null records none.</param>
internal sealed record AutoscalingInputs(
    ICacheReader<InferenceService> Services,
    ICacheReader<V1Deployment> Deployments,
    ICacheReader<V1Pod> Pods,
    Action<ObjectKey> Enqueue,
    EventRecorder? Events);
