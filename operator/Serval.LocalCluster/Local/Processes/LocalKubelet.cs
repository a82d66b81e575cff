using k8s.Models;
using Serval.Controllers.Cache;
using Serval.Controllers.Reconciliation;

namespace Serval.LocalCluster.Local.Processes;

/// <summary>
/// Scheduler and kubelet of the one local node: each pod that fits (<see cref="PodFit"/>) runs as a
/// <see cref="PodRuntime"/>; one that does not stays Pending with PodScheduled=False, reason Unschedulable.
/// A deleted pod's process is stopped, its port released and its volumes removed; <see cref="StopAllAsync"/>
/// stops every process, so none outlives the controllers.
/// </summary>
public sealed class LocalKubelet : IReconciler<V1Pod>
{
    private readonly ICacheReader<V1Pod> _pods;
    private readonly PodRuntimeContext _context;
    private readonly PortAllocator _ports;
    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, PodRuntime> _runtimes = [];
    private readonly Dictionary<ObjectKey, string> _unschedulable = [];
    private bool _stopped;

    public LocalKubelet(ICacheReader<V1Pod> pods, PodRuntimeContext context, PortAllocator ports)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(ports);
        _pods = pods;
        _context = context;
        _ports = ports;
    }

    /// <summary>The runtime of the pod with <paramref name="uid"/>, or null when it does not run here.</summary>
    public PodRuntime? FindByUid(string uid)
    {
        lock (_gate)
        {
            return _runtimes.Values.FirstOrDefault(r => r.Uid == uid);
        }
    }

    /// <summary>Process ids of every running worker (for tests and diagnostics).</summary>
    public IReadOnlyList<int> ProcessIds()
    {
        lock (_gate)
        {
            return [.. _runtimes.Values.Select(r => r.Process?.Id).OfType<int>()];
        }
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pod = _pods.Get(key.Namespace, key.Name);
        PodRuntime? stale;
        lock (_gate)
        {
            _runtimes.TryGetValue(key, out stale);
            if (pod is not null && pod.Metadata.DeletionTimestamp is null && stale is not null && stale.Uid == pod.Metadata.Uid)
            {
                return ReconcileResult.Success;
            }

            if (stale is not null)
            {
                _runtimes.Remove(key);
            }
        }

        if (stale is not null)
        {
            LocalKubeletLog.Stopping(_context.Logger, key.ToString());
            await RetireAsync(stale).ConfigureAwait(false);
        }

        if (pod is null || pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase is "Succeeded" or "Failed")
        {
            lock (_gate)
            {
                _unschedulable.Remove(key);
            }

            return ReconcileResult.Success;
        }

        var message = PodFit.Unschedulable(pod, _context.Options.ExtendedResources.AsReadOnly());
        if (message is not null)
        {
            await ReportUnschedulableAsync(key, pod, message, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Success;
        }

        if (pod.Spec?.Containers is not { Count: > 0 })
        {
            return ReconcileResult.Success;
        }

        var runtime = new PodRuntime(pod, _context);
        lock (_gate)
        {
            if (_stopped)
            {
                return ReconcileResult.Success;
            }

            _unschedulable.Remove(key);
            _runtimes[key] = runtime;
            if (runtime.Port is { } port)
            {
                _ports.Reserve(port);
            }
        }

        runtime.Start();
        return ReconcileResult.Success;
    }

    /// <summary>Stops every worker process and refuses to start more.</summary>
    public async Task StopAllAsync()
    {
        PodRuntime[] runtimes;
        lock (_gate)
        {
            _stopped = true;
            runtimes = [.. _runtimes.Values];
            _runtimes.Clear();
        }

        await Task.WhenAll(runtimes.Select(r => r.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private async Task RetireAsync(PodRuntime runtime)
    {
        await runtime.DisposeAsync().ConfigureAwait(false);
        if (runtime.Port is { } port)
        {
            _ports.Release(port);
        }

        try
        {
            if (Directory.Exists(runtime.Paths.VolumesDirectory))
            {
                Directory.Delete(runtime.Paths.VolumesDirectory, recursive: true);
            }
        }
        catch (IOException e)
        {
            LocalKubeletLog.CleanupFailed(_context.Logger, e, runtime.Paths.Stem);
        }
    }

    private async Task ReportUnschedulableAsync(ObjectKey key, V1Pod pod, string message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_unschedulable.TryGetValue(key, out var reported) && reported == pod.Metadata.Uid)
            {
                return;
            }
        }

        LocalKubeletLog.Unschedulable(_context.Logger, key.ToString(), message);
        var status = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty },
            Status = new V1PodStatus
            {
                Phase = "Pending",
                Conditions =
                [
                    new V1PodCondition
                    {
                        Type = "PodScheduled",
                        Status = "False",
                        Reason = "Unschedulable",
                        Message = message,
                        LastTransitionTime = _context.Time.GetUtcNow().UtcDateTime,
                    },
                ],
            },
        };
        await _context.Api.ApplyStatusAsync(status, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _unschedulable[key] = pod.Metadata.Uid;
        }
    }
}
