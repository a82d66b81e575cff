using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Cache;
using Serval.Operator.Networking;

namespace Serval.Operator.Reconciliation;

/// <summary>The caches the reconciler reads: the InferenceServices, their children and their pods.</summary>
/// <param name="Services">InferenceServices.</param>
/// <param name="Deployments">Deployments (one per revision).</param>
/// <param name="KubeServices">Services (one per revision and the top-level one).</param>
/// <param name="Autoscalers">HorizontalPodAutoscalers (one per revision).</param>
/// <param name="DisruptionBudgets">PodDisruptionBudgets (one per revision).</param>
/// <param name="Pods">Pods labelled with an InferenceService, for diagnosis.</param>
/// <param name="Routes">HTTPRoutes, or null when the cluster has no Gateway API.</param>
public sealed record ChildCaches(
    ICacheReader<InferenceService> Services,
    ICacheReader<V1Deployment> Deployments,
    ICacheReader<V1Service> KubeServices,
    ICacheReader<V2HorizontalPodAutoscaler> Autoscalers,
    ICacheReader<V1PodDisruptionBudget> DisruptionBudgets,
    ICacheReader<V1Pod> Pods,
    ICacheReader<HttpRoute>? Routes);
