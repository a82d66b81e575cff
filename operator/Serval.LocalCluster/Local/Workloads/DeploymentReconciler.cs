using System.Globalization;
using k8s;
using k8s.Models;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Ownership;
using Serval.Controllers.Reconciliation;

namespace Serval.LocalCluster.Local.Workloads;

/// <summary>
/// The Deployment controller: one ReplicaSet per pod template (named and labelled by its
/// <see cref="PodTemplateHash"/>), rolled forward with RollingUpdate (maxSurge / maxUnavailable) or Recreate,
/// scaled with spec.replicas, old ReplicaSets kept up to revisionHistoryLimit, and a status with replica
/// counts, observedGeneration and the Available and Progressing conditions.
/// </summary>
public sealed class DeploymentReconciler : IReconciler<V1Deployment>
{
    /// <summary>The annotation holding a ReplicaSet's revision number.</summary>
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    private readonly IKubernetesApi _api;
    private readonly ICacheReader<V1Deployment> _deployments;
    private readonly ICacheReader<V1ReplicaSet> _replicaSets;
    private readonly TimeProvider _time;
    private readonly CreationExpectations _expectations;

    public DeploymentReconciler(
        IKubernetesApi api, ICacheReader<V1Deployment> deployments, ICacheReader<V1ReplicaSet> replicaSets, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(deployments);
        ArgumentNullException.ThrowIfNull(replicaSets);
        ArgumentNullException.ThrowIfNull(time);
        _api = api;
        _deployments = deployments;
        _replicaSets = replicaSets;
        _time = time;
        _expectations = new CreationExpectations(time);
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var deployment = _deployments.Get(key.Namespace, key.Name);
        if (deployment is null || deployment.Metadata.DeletionTimestamp is not null)
        {
            _expectations.Forget(key);
            return ReconcileResult.Success;
        }

        var owned = _replicaSets.ByIndex(CacheIndexes.ControllerUid, deployment.Metadata.Uid)
            .Where(r => r.Metadata.NamespaceProperty == deployment.Metadata.NamespaceProperty)
            .OrderBy(r => r.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        if (!_expectations.Satisfied(key, owned.Select(r => r.Metadata.Name).ToHashSet(StringComparer.Ordinal)))
        {
            return ReconcileResult.RequeueAfter(TimeSpan.FromMilliseconds(200));
        }

        var hash = PodTemplateHash.Compute(deployment.Spec.Template, deployment.Status?.CollisionCount);
        var newRs = owned.FirstOrDefault(r => r.Metadata.Labels?.TryGetValue(PodTemplateHash.Label, out var h) == true && h == hash);
        var old = owned.Where(r => !ReferenceEquals(r, newRs)).ToList();
        var replicas = deployment.Spec.Replicas ?? 1;
        var createdNew = false;

        if (deployment.Spec.Paused != true)
        {
            if (deployment.Spec.Strategy?.Type == "Recreate")
            {
                (newRs, createdNew) = await RecreateAsync(deployment, newRs, old, hash, replicas, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                (newRs, createdNew) = await RollAsync(deployment, newRs, old, hash, replicas, cancellationToken).ConfigureAwait(false);
            }

            await CleanUpAsync(deployment, old, cancellationToken).ConfigureAwait(false);
        }
        else if (newRs is not null && newRs.Spec.Replicas != replicas && old.All(r => (r.Spec.Replicas ?? 0) == 0))
        {
            await ScaleAsync(newRs, replicas, cancellationToken).ConfigureAwait(false);
        }

        if (createdNew && newRs is not null)
        {
            _expectations.Expect(key, [newRs.Metadata.Name], []);
        }

        return await WriteStatusAsync(deployment, newRs, old, createdNew, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(V1ReplicaSet? New, bool Created)> RollAsync(
        V1Deployment deployment, V1ReplicaSet? newRs, List<V1ReplicaSet> old, string hash, int replicas, CancellationToken cancellationToken)
    {
        var (maxSurge, maxUnavailable) = RollingUpdate.Resolve(deployment.Spec.Strategy?.RollingUpdate, replicas);
        var oldSpec = old.Sum(r => r.Spec.Replicas ?? 0);
        var newSpec = newRs?.Spec.Replicas ?? 0;
        var target = RollingUpdate.NewReplicas(replicas, maxSurge, newSpec, oldSpec + newSpec);
        if (newRs is null)
        {
            var created = await CreateReplicaSetAsync(deployment, old, hash, target, cancellationToken).ConfigureAwait(false);
            return (created, created is not null);
        }

        if (target != newSpec)
        {
            // Grown (or trimmed back to replicas): the old ones are judged on the next pass, with fresh counts.
            return (await ScaleAsync(newRs, target, cancellationToken).ConfigureAwait(false), false);
        }

        var active = old.Where(r => (r.Spec.Replicas ?? 0) > 0).ToList();
        if (active.Count == 0)
        {
            return (newRs, false);
        }

        var newAvailable = newRs.Status?.AvailableReplicas ?? 0;
        var budget = RollingUpdate.MaxScaleDown(replicas, maxUnavailable, oldSpec + newSpec, newSpec, newAvailable);
        if (budget <= 0)
        {
            return (newRs, false);
        }

        var scaled = new Dictionary<string, int>(StringComparer.Ordinal);

        // First the old replicas that are not available anyway: removing them costs no availability.
        var cleaned = 0;
        foreach (var rs in active)
        {
            var spec = rs.Spec.Replicas ?? 0;
            var unhealthy = spec - (rs.Status?.AvailableReplicas ?? 0);
            if (unhealthy <= 0 || cleaned >= budget)
            {
                continue;
            }

            var down = Math.Min(unhealthy, budget - cleaned);
            scaled[rs.Metadata.Name] = spec - down;
            cleaned += down;
        }

        // Then healthy ones, as far as the minimum availability allows.
        var totalAvailable = old.Sum(r => r.Status?.AvailableReplicas ?? 0) + newAvailable;
        var remaining = RollingUpdate.AvailableScaleDown(replicas, maxUnavailable, totalAvailable);
        foreach (var rs in active)
        {
            if (remaining <= 0)
            {
                break;
            }

            var spec = scaled.TryGetValue(rs.Metadata.Name, out var s) ? s : rs.Spec.Replicas ?? 0;
            var down = Math.Min(spec, remaining);
            if (down > 0)
            {
                scaled[rs.Metadata.Name] = spec - down;
                remaining -= down;
            }
        }

        foreach (var rs in active)
        {
            if (scaled.TryGetValue(rs.Metadata.Name, out var to) && to != rs.Spec.Replicas)
            {
                await ScaleAsync(rs, to, cancellationToken).ConfigureAwait(false);
            }
        }

        return (newRs, false);
    }

    private async Task<(V1ReplicaSet? New, bool Created)> RecreateAsync(
        V1Deployment deployment, V1ReplicaSet? newRs, List<V1ReplicaSet> old, string hash, int replicas, CancellationToken cancellationToken)
    {
        var scaledDown = false;
        foreach (var rs in old.Where(r => (r.Spec.Replicas ?? 0) > 0))
        {
            await ScaleAsync(rs, 0, cancellationToken).ConfigureAwait(false);
            scaledDown = true;
        }

        // Every old pod must be gone before a new one starts.
        if (scaledDown || old.Any(r => (r.Status?.Replicas ?? 0) > 0))
        {
            return (newRs, false);
        }

        if (newRs is null)
        {
            var created = await CreateReplicaSetAsync(deployment, old, hash, replicas, cancellationToken).ConfigureAwait(false);
            return (created, created is not null);
        }

        return newRs.Spec.Replicas != replicas ? (await ScaleAsync(newRs, replicas, cancellationToken).ConfigureAwait(false), false) : (newRs, false);
    }

    private async Task<V1ReplicaSet?> CreateReplicaSetAsync(
        V1Deployment deployment, List<V1ReplicaSet> old, string hash, int replicas, CancellationToken cancellationToken)
    {
        // The cache may still hold a Deployment that was just deleted: a ReplicaSet made for it would outlive it.
        var live = await _api.GetAsync<V1Deployment>(deployment.Metadata.NamespaceProperty, deployment.Metadata.Name, cancellationToken).ConfigureAwait(false);
        if (live is null || live.Metadata.Uid != deployment.Metadata.Uid || live.Metadata.DeletionTimestamp is not null)
        {
            return null;
        }

        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(deployment.Spec.Template));
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>())
        {
            [PodTemplateHash.Label] = hash,
        };
        var selector = KubernetesJson.Deserialize<V1LabelSelector>(KubernetesJson.Serialize(deployment.Spec.Selector));
        selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>())
        {
            [PodTemplateHash.Label] = hash,
        };
        var revision = old.Select(r => r.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var v) == true
                && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max() + 1;
        var rs = new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = $"{deployment.Metadata.Name}-{hash}",
                NamespaceProperty = deployment.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(template.Metadata.Labels),
                Annotations = new Dictionary<string, string>
                {
                    [RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/desired-replicas"] = (deployment.Spec.Replicas ?? 1).ToString(CultureInfo.InvariantCulture),
                },
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = replicas,
                MinReadySeconds = deployment.Spec.MinReadySeconds,
                Selector = selector,
                Template = template,
            },
        };
        OwnerReferences.SetController(deployment, rs);
        return await _api.CreateAsync(rs, cancellationToken).ConfigureAwait(false);
    }

    private Task<V1ReplicaSet> ScaleAsync(V1ReplicaSet rs, int replicas, CancellationToken cancellationToken) =>
        _api.PatchAsync<V1ReplicaSet>(
            rs.Metadata.NamespaceProperty,
            rs.Metadata.Name,
            new V1Patch($"{{\"spec\":{{\"replicas\":{replicas.ToString(CultureInfo.InvariantCulture)}}}}}", V1Patch.PatchType.MergePatch),
            cancellationToken);

    private async Task CleanUpAsync(V1Deployment deployment, List<V1ReplicaSet> old, CancellationToken cancellationToken)
    {
        var limit = deployment.Spec.RevisionHistoryLimit ?? 10;
        var idle = old.Where(r => (r.Spec.Replicas ?? 0) == 0 && (r.Status?.Replicas ?? 0) == 0).ToList();
        foreach (var rs in idle.Take(Math.Max(0, idle.Count - limit)))
        {
            await _api.DeleteAsync<V1ReplicaSet>(rs.Metadata.NamespaceProperty, rs.Metadata.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ReconcileResult> WriteStatusAsync(
        V1Deployment deployment, V1ReplicaSet? newRs, List<V1ReplicaSet> old, bool createdNew, CancellationToken cancellationToken)
    {
        var all = old.Concat(newRs is null ? [] : [newRs]).ToList();
        var replicas = deployment.Spec.Replicas ?? 1;
        var (_, maxUnavailable) = deployment.Spec.Strategy?.Type == "Recreate"
            ? (0, 0)
            : RollingUpdate.Resolve(deployment.Spec.Strategy?.RollingUpdate, replicas);
        var status = new V1DeploymentStatus
        {
            ObservedGeneration = deployment.Metadata.Generation,
            Replicas = all.Sum(r => r.Status?.Replicas ?? 0),
            UpdatedReplicas = newRs?.Status?.Replicas ?? 0,
            ReadyReplicas = all.Sum(r => r.Status?.ReadyReplicas ?? 0),
            AvailableReplicas = all.Sum(r => r.Status?.AvailableReplicas ?? 0),
            CollisionCount = deployment.Status?.CollisionCount,
        };
        status.UnavailableReplicas = Math.Max(0, replicas - (status.AvailableReplicas ?? 0));

        var previous = deployment.Status;
        var progressed = previous is null
            || previous.Replicas != status.Replicas
            || previous.UpdatedReplicas != status.UpdatedReplicas
            || previous.ReadyReplicas != status.ReadyReplicas
            || previous.AvailableReplicas != status.AvailableReplicas;
        var now = _time.GetUtcNow().UtcDateTime;
        var conditions = (previous?.Conditions ?? [])
            .Select(c => KubernetesJson.Deserialize<V1DeploymentCondition>(KubernetesJson.Serialize(c)))
            .ToList();
        if ((status.AvailableReplicas ?? 0) >= replicas - maxUnavailable)
        {
            DeploymentConditions.Set(conditions, DeploymentConditions.Available, "True",
                DeploymentConditions.MinimumReplicasAvailable, "Deployment has minimum availability.", now);
        }
        else
        {
            DeploymentConditions.Set(conditions, DeploymentConditions.Available, "False",
                DeploymentConditions.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now);
        }

        var requeue = (TimeSpan?)null;
        var rsName = newRs?.Metadata.Name ?? deployment.Metadata.Name;
        var complete = newRs is not null
            && status.UpdatedReplicas == replicas
            && status.Replicas == replicas
            && status.AvailableReplicas == replicas;
        if (deployment.Spec.Paused == true)
        {
            DeploymentConditions.Set(conditions, DeploymentConditions.Progressing, "Unknown",
                DeploymentConditions.DeploymentPaused, "Deployment is paused", now);
        }
        else if (complete)
        {
            DeploymentConditions.Set(conditions, DeploymentConditions.Progressing, "True",
                DeploymentConditions.NewReplicaSetAvailable, $"ReplicaSet \"{rsName}\" has successfully progressed.", now);
        }
        else if (createdNew)
        {
            DeploymentConditions.Set(conditions, DeploymentConditions.Progressing, "True",
                DeploymentConditions.NewReplicaSetCreated, $"Created new replica set \"{rsName}\"", now, progressed: true);
        }
        else
        {
            var deadline = TimeSpan.FromSeconds(deployment.Spec.ProgressDeadlineSeconds ?? 600);
            var current = conditions.FirstOrDefault(c => c.Type == DeploymentConditions.Progressing);
            var lastProgress = current?.LastUpdateTime ?? now;
            if (progressed || current is null || current.Reason == DeploymentConditions.NewReplicaSetAvailable)
            {
                DeploymentConditions.Set(conditions, DeploymentConditions.Progressing, "True",
                    DeploymentConditions.ReplicaSetUpdated, $"ReplicaSet \"{rsName}\" is progressing.", now, progressed: true);
                requeue = deadline;
            }
            else if (current.Reason != DeploymentConditions.ProgressDeadlineExceeded && now - lastProgress >= deadline)
            {
                DeploymentConditions.Set(conditions, DeploymentConditions.Progressing, "False",
                    DeploymentConditions.ProgressDeadlineExceeded, $"ReplicaSet \"{rsName}\" has timed out progressing.", now);
            }
            else if (current.Reason != DeploymentConditions.ProgressDeadlineExceeded)
            {
                requeue = lastProgress + deadline - now;
            }
        }

        status.Conditions = conditions;
        if (progressed || previous?.ObservedGeneration != status.ObservedGeneration
            || KubernetesJson.Serialize(previous?.Conditions) != KubernetesJson.Serialize(conditions)
            || previous?.UnavailableReplicas != status.UnavailableReplicas)
        {
            await _api.ApplyStatusAsync(
                new V1Deployment
                {
                    ApiVersion = "apps/v1",
                    Kind = "Deployment",
                    Metadata = new V1ObjectMeta { Name = deployment.Metadata.Name, NamespaceProperty = deployment.Metadata.NamespaceProperty },
                    Status = status,
                },
                cancellationToken).ConfigureAwait(false);
        }

        return requeue is { } delay && delay > TimeSpan.Zero ? ReconcileResult.RequeueAfter(delay) : ReconcileResult.Success;
    }
}
