using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Cache;
using Serval.Controllers.Events;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Ownership;
using Serval.Controllers.Reconciliation;
using Serval.Operator.Networking;
using Serval.Operator.Revisions;
using Serval.Operator.Rollout;
using Serval.Operator.Scaling;
using Serval.Operator.Status;
using Serval.Operator.Workloads;

namespace Serval.Operator.Reconciliation;

/// <summary>
/// Brings one InferenceService's children in line with its spec: reads the caches, resolves the spec, plans
/// the revisions (<see cref="RolloutPlanner"/>), applies the children that differ (server-side apply as
/// <c>serval-operator</c>, force), deletes the children of retired revisions, and writes the status through the
/// status subresource when it changed. A resync where nothing changed makes no write at all.
/// </summary>
/// <remarks>
/// Deletion needs no finalizer: every child carries a controller owner reference, so the garbage collector
/// removes them with the InferenceService, and nothing outside the cluster objects needs cleaning.
/// </remarks>
public sealed class InferenceServiceReconciler : IReconciler<InferenceService>
{
    private readonly IKubernetesApi _api;
    private readonly ChildCaches _caches;
    private readonly RolloutPlanner _planner;
    private readonly IServiceUrlProvider _urls;
    private readonly IRevisionObservations _observations;
    private readonly EventRecorder? _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _defaultWorkerImage;

    public InferenceServiceReconciler(
        IKubernetesApi api,
        ChildCaches caches,
        RolloutPlanner? planner = null,
        IServiceUrlProvider? urls = null,
        IRevisionObservations? observations = null,
        EventRecorder? events = null,
        TimeProvider? time = null,
        ILogger? logger = null,
        string? defaultWorkerImage = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(caches);
        _api = api;
        _caches = caches;
        _planner = planner ?? new RolloutPlanner();
        _urls = urls ?? new ClusterServiceUrlProvider();
        _observations = observations ?? NoRevisionObservations.Instance;
        _events = events;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _defaultWorkerImage = defaultWorkerImage;
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var service = _caches.Services.Get(key.Namespace, key.Name);
        if (service is null || service.Metadata.DeletionTimestamp is not null)
        {
            // Gone or going: the garbage collector removes the children through their owner references.
            return ReconcileResult.Success;
        }

        var now = _time.GetUtcNow();
        ResolvedSpec spec;
        try
        {
            spec = service.Resolve(_defaultWorkerImage);
        }
        catch (Exception e) when (e is InvalidSpecException or FormatException)
        {
            InferenceServiceReconcilerLog.InvalidSpec(_logger, key, e.Message);
            await WriteStatusAsync(service, StatusBuilder.Invalid(service, e.Message, now), cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Success;
        }

        var uid = service.Metadata.Uid;
        var desired = Revision.Of(service, spec);
        var deployments = Controlled(_caches.Deployments, uid);
        var revisions = Observe(deployments, spec);
        var serviceKey = ObjectKey.Of(service);
        var metrics = new Dictionary<string, MetricsStatus>(StringComparer.Ordinal);
        foreach (var hash in revisions.Keys.Append(desired.Hash).Distinct())
        {
            if (_observations.RevisionMetrics(serviceKey, hash) is { } m)
            {
                metrics[hash] = m;
            }
        }

        var plan = _planner.Plan(service, spec, desired.Hash, revisions, metrics, now);
        await ApplyChildrenAsync(service, spec, desired, plan, deployments, cancellationToken).ConfigureAwait(false);
        await DeleteRetiredAsync(service, desired, plan, cancellationToken).ConfigureAwait(false);

        var problems = new Dictionary<string, PodProblem>(StringComparer.Ordinal);
        foreach (var hash in plan.Wanted)
        {
            var observed = revisions.GetValueOrDefault(hash);
            if (observed is { Ready: true })
            {
                continue;
            }

            var pods = _caches.Pods.ByIndex(CacheIndexes.Label, CacheIndexes.LabelValue(ServalLabels.Revision, hash))
                .Where(p => p.Metadata.NamespaceProperty == service.Metadata.NamespaceProperty
                    && ServalLabels.ValueOf(p.Metadata.Labels, ServalLabels.InferenceService) == service.Metadata.Name);
            if (PodDiagnosis.Diagnose(pods) is { } problem)
            {
                problems[hash] = problem;
            }
        }

        var status = StatusBuilder.Build(new StatusInput(
            service,
            spec,
            plan,
            revisions,
            problems,
            _urls.UrlOf(service, spec),
            RouteProblem(service, spec),
            // Until the observations have figures of their own (a restarted operator's first ticks), what status
            // says stands: clearing it only to write it back would be two writes for nothing. metrics carries its
            // observedAt; autoscaling is the operator's only while it decides (not for a plain CPU HPA).
            _observations.Metrics(serviceKey) ?? service.Status?.Metrics,
            _observations.Autoscaling(serviceKey)
                ?? (spec.Autoscaling.Metric == AutoscalingMetric.Cpu ? null : service.Status?.Autoscaling),
            now));
        var before = service.Status;
        await WriteStatusAsync(service, status, cancellationToken).ConfigureAwait(false);
        await RecordTransitionsAsync(service, before, status, plan, cancellationToken).ConfigureAwait(false);
        return plan.RequeueAfter is { } after && after > TimeSpan.Zero ? ReconcileResult.RequeueAfter(after) : ReconcileResult.Success;
    }

    private async Task ApplyChildrenAsync(
        InferenceService service, ResolvedSpec spec, Revision desired, RolloutPlan plan, IReadOnlyList<V1Deployment> deployments, CancellationToken ct)
    {
        var key = ObjectKey.Of(service);
        var ns = desired.Namespace;
        var live = deployments.FirstOrDefault(d => d.Metadata.Name == desired.Name);
        // A strategy that sets the canary's replicas (replica-ratio split) owns them for the rollout: no HPA then.
        var pinned = plan.DesiredScaledToZero ? null : plan.CanaryReplicas;
        var replicas = pinned ?? DeploymentBuilder.Replicas(live?.Spec?.Replicas, spec.Autoscaling.MinReplicas, spec.Autoscaling.MaxReplicas, plan.DesiredScaledToZero);
        await ApplyAsync(key, service, DeploymentBuilder.Build(desired, replicas), _caches.Deployments, ct).ConfigureAwait(false);
        await ApplyAsync(key, service, ServiceBuilder.Revision(desired), _caches.KubeServices, ct).ConfigureAwait(false);
        if (plan.DesiredScaledToZero || pinned is not null)
        {
            await DeleteIfOwnedAsync(key, service, ns, desired.Name, _caches.Autoscalers, ct).ConfigureAwait(false);
        }
        else
        {
            await ApplyAsync(key, service, HpaBuilder.Build(desired), _caches.Autoscalers, ct).ConfigureAwait(false);
        }

        if (!plan.DesiredScaledToZero && PdbBuilder.Wanted(desired))
        {
            await ApplyAsync(key, service, PdbBuilder.Build(desired), _caches.DisruptionBudgets, ct).ConfigureAwait(false);
        }
        else
        {
            await DeleteIfOwnedAsync(key, service, ns, desired.Name, _caches.DisruptionBudgets, ct).ConfigureAwait(false);
        }

        await ApplyAsync(key, service, ServiceBuilder.TopLevel(service, plan.Traffic), _caches.KubeServices, ct).ConfigureAwait(false);
        if (_caches.Routes is { } routes)
        {
            if (spec.Traffic is { } traffic)
            {
                await ApplyAsync(key, service, HttpRouteBuilder.Build(service, traffic, plan.Traffic), routes, ct).ConfigureAwait(false);
            }
            else
            {
                await DeleteIfOwnedAsync(key, service, ns, service.Metadata.Name, routes, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task ApplyAsync<T>(ObjectKey key, InferenceService owner, T desired, ICacheReader<T> cache, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        AppliedState.Stamp(desired);
        var live = cache.Get(desired.Metadata.NamespaceProperty, desired.Metadata.Name);
        if (live is not null && !OwnerReferences.IsControlledBy(live, owner))
        {
            InferenceServiceReconcilerLog.NotOwned(_logger, key, desired);
            throw new InvalidOperationException(
                $"{desired.Kind} {desired.Metadata.NamespaceProperty}/{desired.Metadata.Name} already exists and belongs to someone else; " +
                "rename the InferenceService or remove that object");
        }

        if (AppliedState.UpToDate(desired, live))
        {
            return;
        }

        await _api.ApplyAsync(desired, ct).ConfigureAwait(false);
        InferenceServiceReconcilerLog.Applied(_logger, key, desired);
    }

    private async Task DeleteRetiredAsync(InferenceService service, Revision desired, RolloutPlan plan, CancellationToken ct)
    {
        var key = ObjectKey.Of(service);
        var uid = service.Metadata.Uid;
        await DeleteRetiredAsync(key, uid, plan, _caches.Deployments, ct).ConfigureAwait(false);
        await DeleteRetiredAsync(key, uid, plan, _caches.KubeServices, ct).ConfigureAwait(false);
        await DeleteRetiredAsync(key, uid, plan, _caches.Autoscalers, ct).ConfigureAwait(false);
        await DeleteRetiredAsync(key, uid, plan, _caches.DisruptionBudgets, ct).ConfigureAwait(false);
        _ = desired;
    }

    private async Task DeleteRetiredAsync<T>(ObjectKey key, string uid, RolloutPlan plan, ICacheReader<T> cache, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        foreach (var child in Controlled(cache, uid))
        {
            // Children without a revision label (the top-level Service, the HTTPRoute) are not per revision.
            if (ServalLabels.ValueOf(child.Metadata.Labels, ServalLabels.Revision) is { } hash && !plan.Wanted.Contains(hash))
            {
                await DeleteAsync(key, child, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task DeleteIfOwnedAsync<T>(ObjectKey key, InferenceService owner, string ns, string name, ICacheReader<T> cache, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (cache.Get(ns, name) is { } live && OwnerReferences.IsControlledBy(live, owner))
        {
            await DeleteAsync(key, live, ct).ConfigureAwait(false);
        }
    }

    private async Task DeleteAsync<T>(ObjectKey key, T child, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (child.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        await _api.DeleteAsync<T>(child.Metadata.NamespaceProperty, child.Metadata.Name, ct).ConfigureAwait(false);
        InferenceServiceReconcilerLog.Deleted(_logger, key, child);
    }

    private async Task WriteStatusAsync(InferenceService service, InferenceServiceStatus status, CancellationToken ct)
    {
        if (StatusBuilder.SameAs(service.Status, status))
        {
            return;
        }

        // A replace of the whole status (optimistic on the cached resourceVersion): fields that no longer apply,
        // such as a finished canary, disappear; a stale cache gets a conflict and the reconcile is retried.
        var update = KubernetesJson.Deserialize<InferenceService>(KubernetesJson.Serialize(service));
        update.Status = status;
        await _api.UpdateStatusAsync(update, ct).ConfigureAwait(false);
        InferenceServiceReconcilerLog.StatusWritten(_logger, service);
    }

    private async Task RecordTransitionsAsync(
        InferenceService service, InferenceServiceStatus? before, InferenceServiceStatus after, RolloutPlan plan, CancellationToken ct)
    {
        if (_events is null)
        {
            return;
        }

        if (before?.CanaryRevision?.Name != after.CanaryRevision?.Name && after.CanaryRevision is { } canary)
        {
            await _events.NormalAsync(service, "RolloutStarted", "Rollout", $"rolling out revision {canary.Name} ({service.Spec.Rollout?.Strategy ?? "Canary"})", ct).ConfigureAwait(false);
        }

        foreach (var step in plan.Events)
        {
            if (step.Warning)
            {
                await _events.WarningAsync(service, step.Reason, "Rollout", step.Message, ct).ConfigureAwait(false);
            }
            else
            {
                await _events.NormalAsync(service, step.Reason, "Rollout", step.Message, ct).ConfigureAwait(false);
            }
        }

        if (plan.Finished is { } finished)
        {
            var note = $"revision {finished.Revision}: {finished.Outcome}: {finished.Message}";
            if (finished.Outcome is nameof(RolloutOutcome.RolledBack) or nameof(RolloutOutcome.Failed))
            {
                await _events.WarningAsync(service, finished.Outcome, "Rollout", note, ct).ConfigureAwait(false);
            }
            else
            {
                await _events.NormalAsync(service, finished.Outcome!, "Rollout", note, ct).ConfigureAwait(false);
            }
        }

        var wasReady = Controllers.Status.Conditions.Find(before?.Conditions, ConditionTypes.Ready);
        var ready = Controllers.Status.Conditions.Find(after.Conditions, ConditionTypes.Ready);
        if (ready is not null && wasReady?.Status != ready.Status)
        {
            if (ready.Status == Controllers.Status.Conditions.True)
            {
                await _events.NormalAsync(service, "Ready", "Serve", ready.Message, ct).ConfigureAwait(false);
            }
            else if (wasReady is not null)
            {
                await _events.WarningAsync(service, ready.Reason, "Serve", ready.Message, ct).ConfigureAwait(false);
            }
        }
    }

    private PodProblem? RouteProblem(InferenceService service, ResolvedSpec spec)
    {
        if (spec.Traffic is null)
        {
            return null;
        }

        if (_caches.Routes is null)
        {
            return new PodProblem(ConditionReasons.RouteNotAccepted, "traffic.gatewayRef is set but the cluster has no Gateway API (HTTPRoute is not served)");
        }

        var route = _caches.Routes.Get(service.Metadata.NamespaceProperty, service.Metadata.Name);
        if (route is null)
        {
            return new PodProblem(ConditionReasons.Reconciling, $"creating HTTPRoute {service.Metadata.Name}");
        }

        var parents = route.Status?["parents"]?.AsArray();
        foreach (var parent in parents ?? [])
        {
            var accepted = parent?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c?["type"] == "Accepted");
            if ((string?)accepted?["status"] == "False")
            {
                return new PodProblem(
                    ConditionReasons.RouteNotAccepted,
                    $"Gateway {spec.Traffic.GatewayNamespace}/{spec.Traffic.GatewayName} did not accept HTTPRoute {service.Metadata.Name}: " +
                    $"{(string?)accepted["reason"]}: {(string?)accepted["message"]}");
            }
        }

        return null;
    }

    private static List<T> Controlled<T>(ICacheReader<T> cache, string uid)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        string.IsNullOrEmpty(uid) ? [] : [.. cache.ByIndex(CacheIndexes.ControllerUid, uid)];

    private static Dictionary<string, RevisionObservation> Observe(IEnumerable<V1Deployment> deployments, ResolvedSpec spec)
    {
        var revisions = new Dictionary<string, RevisionObservation>(StringComparer.Ordinal);
        foreach (var deployment in deployments)
        {
            if (ServalLabels.ValueOf(deployment.Metadata.Labels, ServalLabels.Revision) is not { } hash || deployment.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            var wanted = deployment.Spec?.Replicas ?? 1;
            var replicas = deployment.Status?.Replicas ?? 0;
            var ready = deployment.Status?.ReadyReplicas ?? 0;
            var needed = Math.Max(1, Math.Min(wanted, spec.Autoscaling.MinReplicas));
            var current = deployment.Status?.ObservedGeneration is null || deployment.Status.ObservedGeneration >= deployment.Metadata.Generation;
            revisions[hash] = new RevisionObservation(hash, replicas, ready, wanted > 0 && current && ready >= needed);
        }

        return revisions;
    }
}
