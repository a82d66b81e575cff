using System.Net;
using k8s.Autorest;
using k8s.LeaderElection;

namespace Serval.Controllers.Tests.Fakes;

/// <summary>
/// A Lease held in memory with the API server's optimistic concurrency: an update based on a
/// stale read fails. Identities can be cut off to play a leader that loses the API server.
/// </summary>
internal sealed class InMemoryLease
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _cutOff = [];
    private LeaderElectionRecord? _record;
    private int _version;

    public LeaderElectionRecord? Current
    {
        get
        {
            lock (_gate)
            {
                return _record is null ? null : Copy(_record);
            }
        }
    }

    public void CutOff(string identity)
    {
        lock (_gate)
        {
            _cutOff.Add(identity);
        }
    }

    public ILock LockFor(string identity) => new LeaseLock(this, identity);

    private static LeaderElectionRecord Copy(LeaderElectionRecord r) => new()
    {
        HolderIdentity = r.HolderIdentity,
        LeaseDurationSeconds = r.LeaseDurationSeconds,
        AcquireTime = r.AcquireTime,
        RenewTime = r.RenewTime,
        LeaderTransitions = r.LeaderTransitions,
    };

    private static HttpOperationException Error(HttpStatusCode code) => new($"lease: {(int)code}")
    {
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(code), string.Empty),
    };

    private void ThrowIfCutOff(string identity)
    {
        if (_cutOff.Contains(identity))
        {
            throw Error(HttpStatusCode.ServiceUnavailable);
        }
    }

    private sealed class LeaseLock(InMemoryLease lease, string identity) : ILock
    {
        private int _seen = -1;

        public string Identity => identity;

        public string Describe() => "in-memory/lease";

        public Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default)
        {
            lock (lease._gate)
            {
                lease.ThrowIfCutOff(identity);
                if (lease._record is null)
                {
                    throw Error(HttpStatusCode.NotFound);
                }

                _seen = lease._version;
                return Task.FromResult(Copy(lease._record));
            }
        }

        public Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
        {
            lock (lease._gate)
            {
                lease.ThrowIfCutOff(identity);
                if (lease._record is not null)
                {
                    return Task.FromResult(false);
                }

                lease._record = Copy(record);
                _seen = ++lease._version;
                return Task.FromResult(true);
            }
        }

        public Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
        {
            lock (lease._gate)
            {
                lease.ThrowIfCutOff(identity);
                if (_seen != lease._version)
                {
                    return Task.FromResult(false);
                }

                lease._record = Copy(record);
                _seen = ++lease._version;
                return Task.FromResult(true);
            }
        }
    }
}
