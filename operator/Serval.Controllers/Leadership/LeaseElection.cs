using k8s.LeaderElection;
using Microsoft.Extensions.Logging;
using Serval.Controllers.Kubernetes;

namespace Serval.Controllers.Leadership;

/// <summary>
/// Runs KubernetesClient's <see cref="LeaderElector"/> on a Lease for as long as the host runs,
/// reporting each start and loss of leadership, and releases the lease on the way out so that a
/// standby need not wait for it to expire.
/// </summary>
internal sealed class LeaseElection
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    private readonly IKubernetesApi _api;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;
    private readonly string _lease;
    private volatile LeaderElector? _elector;
    private int _leading;

    public LeaseElection(IKubernetesApi api, LeaderElectionOptions options, ILogger logger)
    {
        _api = api;
        _options = options;
        _logger = logger;
        _lease = $"{options.LeaseNamespace}/{options.LeaseName}";
    }

    public bool IsLeader => Volatile.Read(ref _leading) == 1;

    /// <summary>The holder this process last observed, if any.</summary>
    public string? Leader => _elector?.GetLeader();

    public string Identity => _options.Identity;

    /// <summary>Campaigns until cancelled; <paramref name="startedLeading"/> and <paramref name="stoppedLeading"/> run on the elector's thread.</summary>
    public async Task RunAsync(Action startedLeading, Action stoppedLeading, CancellationToken cancellationToken)
    {
        var lease = _api.CreateLeaseLock(_options.LeaseNamespace, _options.LeaseName, _options.Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(lease)
        {
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
        });
        elector.OnStartedLeading += () =>
        {
            Volatile.Write(ref _leading, 1);
            LeaseElectionLog.StartedLeading(_logger, _options.Identity, _lease);
            startedLeading();
        };
        elector.OnStoppedLeading += () =>
        {
            Volatile.Write(ref _leading, 0);
            LeaseElectionLog.StoppedLeading(_logger, _options.Identity, _lease);
            stoppedLeading();
        };
        elector.OnNewLeader += leader => LeaseElectionLog.NewLeader(_logger, _lease, leader ?? "nobody");
        elector.OnError += error => LeaseElectionLog.Error(_logger, error, _lease);
        _elector = elector;
        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            _elector = null;
        }

        await ReleaseAsync(lease).ConfigureAwait(false);
    }

    private async Task ReleaseAsync(ILock lease)
    {
        using var timeout = new CancellationTokenSource(ReleaseTimeout);
        try
        {
            var record = await lease.GetAsync(timeout.Token).ConfigureAwait(false);
            if (record?.HolderIdentity != _options.Identity)
            {
                return;
            }

            // Keep the holder and shorten the lease to one second from now rather than clearing the
            // holder: every elector reads an expired lease as free, while an empty holder is not
            // read the same way by all of them.
            record.LeaseDurationSeconds = 1;
            record.RenewTime = DateTime.UtcNow;
            if (await lease.UpdateAsync(record, timeout.Token).ConfigureAwait(false))
            {
                LeaseElectionLog.Released(_logger, _options.Identity, _lease);
            }
            else
            {
                LeaseElectionLog.ReleaseFailed(_logger, null, _options.Identity, _lease);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Best effort: the lease expires on its own.
            LeaseElectionLog.ReleaseFailed(_logger, e, _options.Identity, _lease);
        }
    }
}
