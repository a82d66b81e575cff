using k8s;
using k8s.Models;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Ownership;
using Serval.Controllers.Reconciliation;
using Serval.LocalCluster.Local.Processes;

namespace Serval.LocalCluster.Local.Workloads;

/// <summary>
/// The ReplicaSet controller: keeps spec.replicas active pods (generateName <c>&lt;rs&gt;-</c>, owned by the
/// ReplicaSet), each with its own loopback port (<see cref="LocalPorts"/>); removes the least useful pods first
/// when scaling down (unscheduled, then not ready, then most restarted, then newest); reports replicas,
/// fullyLabeledReplicas, readyReplicas, availableReplicas and observedGeneration.
/// </summary>
public sealed class ReplicaSetReconciler : IReconciler<V1ReplicaSet>
{
    private static readonly TimeSpan ExpectationRecheck = TimeSpan.FromMilliseconds(200);

    private readonly IKubernetesApi _api;
    private readonly ICacheReader<V1ReplicaSet> _replicaSets;
    private readonly ICacheReader<V1Pod> _pods;
    private readonly PortAllocator _ports;
    private readonly TimeProvider _time;
    private readonly CreationExpectations _expectations;

    public ReplicaSetReconciler(
        IKubernetesApi api, ICacheReader<V1ReplicaSet> replicaSets, ICacheReader<V1Pod> pods, PortAllocator ports, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(replicaSets);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(time);
        _api = api;
        _replicaSets = replicaSets;
        _pods = pods;
        _ports = ports;
        _time = time;
        _expectations = new CreationExpectations(time);
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var rs = _replicaSets.Get(key.Namespace, key.Name);
        if (rs is null || rs.Metadata.DeletionTimestamp is not null)
        {
            _expectations.Forget(key);
            return ReconcileResult.Success;
        }

        var owned = _pods.ByIndex(CacheIndexes.ControllerUid, rs.Metadata.Uid)
            .Where(p => p.Metadata.NamespaceProperty == rs.Metadata.NamespaceProperty)
            .ToList();
        if (!_expectations.Satisfied(key, owned.Select(p => p.Metadata.Name).ToHashSet(StringComparer.Ordinal)))
        {
            return ReconcileResult.RequeueAfter(ExpectationRecheck);
        }

        var active = owned.Where(PodState.IsActive).ToList();
        var desired = rs.Spec.Replicas ?? 1;
        var created = new List<string>();
        var deleted = new List<string>();
        try
        {
            if (active.Count < desired && await StillExistsAsync(rs, cancellationToken).ConfigureAwait(false))
            {
                for (var i = active.Count; i < desired; i++)
                {
                    created.Add(await CreatePodAsync(rs, cancellationToken).ConfigureAwait(false));
                }
            }
            else if (active.Count > desired)
            {
                foreach (var victim in RankForDeletion(active).Take(active.Count - desired))
                {
                    await _api.DeleteAsync<V1Pod>(victim.Metadata.NamespaceProperty, victim.Metadata.Name, cancellationToken).ConfigureAwait(false);
                    deleted.Add(victim.Metadata.Name);
                }
            }
        }
        finally
        {
            if (created.Count > 0 || deleted.Count > 0)
            {
                _expectations.Expect(key, created, deleted);
            }
        }

        return await WriteStatusAsync(rs, active, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletion order: unscheduled or pending first, then not ready, then most restarted, then newest.</summary>
    public static IEnumerable<V1Pod> RankForDeletion(IEnumerable<V1Pod> pods) =>
        pods.OrderBy(p => p.Status?.Phase == "Pending" ? 0 : 1)
            .ThenBy(p => PodState.IsReady(p) ? 1 : 0)
            .ThenByDescending(PodState.Restarts)
            .ThenByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue);

    // The cache may still hold a ReplicaSet that was just deleted: pods made for it would outlive it.
    private async Task<bool> StillExistsAsync(V1ReplicaSet rs, CancellationToken cancellationToken)
    {
        var live = await _api.GetAsync<V1ReplicaSet>(rs.Metadata.NamespaceProperty, rs.Metadata.Name, cancellationToken).ConfigureAwait(false);
        return live is not null && live.Metadata.Uid == rs.Metadata.Uid && live.Metadata.DeletionTimestamp is null;
    }

    private async Task<string> CreatePodAsync(V1ReplicaSet rs, CancellationToken cancellationToken)
    {
        var template = rs.Spec.Template;
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = rs.Metadata.Name + "-",
                NamespaceProperty = rs.Metadata.NamespaceProperty,
                Labels = template.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels) : null,
                Annotations = template.Metadata?.Annotations is { } annotations ? new Dictionary<string, string>(annotations) : null,
            },
            Spec = KubernetesJson.Deserialize<V1PodSpec>(KubernetesJson.Serialize(template.Spec)),
        };
        OwnerReferences.SetController(rs, pod);
        int? port = null;
        if (LocalPorts.HttpPort(pod) is not null)
        {
            port = _ports.Allocate();
            LocalPorts.Rewrite(pod, port.Value);
        }

        try
        {
            var created = await _api.CreateAsync(pod, cancellationToken).ConfigureAwait(false);
            return created.Metadata.Name;
        }
        catch
        {
            if (port is { } allocated)
            {
                _ports.Release(allocated);
            }

            throw;
        }
    }

    private async Task<ReconcileResult> WriteStatusAsync(V1ReplicaSet rs, List<V1Pod> active, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var minReady = rs.Spec.MinReadySeconds ?? 0;
        var templateLabels = rs.Spec.Template.Metadata?.Labels ?? new Dictionary<string, string>();
        var status = new V1ReplicaSetStatus
        {
            Replicas = active.Count,
            FullyLabeledReplicas = active.Count(p => templateLabels.All(l => p.Metadata.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value)),
            ReadyReplicas = active.Count(PodState.IsReady),
            AvailableReplicas = active.Count(p => PodState.IsAvailable(p, minReady, now)),
            ObservedGeneration = rs.Metadata.Generation,
        };
        var current = rs.Status;
        var changed = current is null
            || current.Replicas != status.Replicas
            || (current.FullyLabeledReplicas ?? 0) != status.FullyLabeledReplicas
            || (current.ReadyReplicas ?? 0) != status.ReadyReplicas
            || (current.AvailableReplicas ?? 0) != status.AvailableReplicas
            || current.ObservedGeneration != status.ObservedGeneration;
        if (changed)
        {
            await _api.ApplyStatusAsync(
                new V1ReplicaSet
                {
                    ApiVersion = "apps/v1",
                    Kind = "ReplicaSet",
                    Metadata = new V1ObjectMeta { Name = rs.Metadata.Name, NamespaceProperty = rs.Metadata.NamespaceProperty },
                    Status = status,
                },
                cancellationToken).ConfigureAwait(false);
        }

        // Ready pods that are not yet available become available by the clock alone: look again then.
        if (minReady > 0 && status.ReadyReplicas > status.AvailableReplicas)
        {
            return ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(1));
        }

        return ReconcileResult.Success;
    }
}
