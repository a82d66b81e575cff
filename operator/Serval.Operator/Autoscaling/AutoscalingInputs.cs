using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Cache;
using Serval.Controllers.Events;
using Serval.Controllers.Kubernetes;

namespace Serval.Operator.Autoscaling;

/// <summary>What the autoscaling loop reads and tells: the operator's informer caches, its queue and its Events.</summary>
/// <param name="Services">InferenceServices.</param>
/// <param name="Deployments">Revision Deployments (their replicas are the current count).</param>
/// <param name="Pods">Worker pods (IP, readiness, the <c>http</c> port).</param>
/// <param name="Enqueue">Asks the reconciler to write new figures into status.</param>
/// <param name="Events">Where decision Events go; null records none.</param>
/// <param name="Autoscalers">Revision HPAs: only a revision the HPA scales from the operator's decision is scaled directly.</param>
/// <param name="Api">Where direct scale writes go; null leaves every change to the HPA.</param>
/// <param name="Leads">Whether this operator leads: only the leader writes (scale, Events); null: always.</param>
internal sealed record AutoscalingInputs(
    ICacheReader<InferenceService> Services,
    ICacheReader<V1Deployment> Deployments,
    ICacheReader<V1Pod> Pods,
    Action<ObjectKey> Enqueue,
    EventRecorder? Events,
    ICacheReader<V2HorizontalPodAutoscaler>? Autoscalers = null,
    IKubernetesApi? Api = null,
    Func<bool>? Leads = null)
{
    /// <summary>The caches, queue and Event recorder of a running operator.</summary>
    public static AutoscalingInputs Of(Hosting.OperatorHost host, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(loggers);
        return new AutoscalingInputs(
            host.Controllers.GetCache<InferenceService>(),
            host.Controllers.GetCache<V1Deployment>(),
            host.Controllers.GetCache<V1Pod>(),
            host.Enqueue,
            new EventRecorder(host.Api, time: TimeProvider.System, logger: loggers.CreateLogger("Serval.Operator.Events")),
            host.Controllers.GetCache<V2HorizontalPodAutoscaler>(),
            host.Api,
            () => host.Controllers.IsLeader);
    }
}
