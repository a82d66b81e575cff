using Serval.Controllers.Cache;

namespace Serval.LocalCluster.Local.Workloads;

/// <summary>
/// What a controller has just created or deleted and its cache has not shown yet. Until the cache catches up
/// (or the expectation expires), counting from the cache would create or delete the same objects twice.
/// </summary>
public sealed class CreationExpectations
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, Pending> _pending = [];
    private readonly TimeProvider _time;

    public CreationExpectations(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Records that <paramref name="owner"/> created <paramref name="created"/> and deleted <paramref name="deleted"/>.</summary>
    public void Expect(ObjectKey owner, IEnumerable<string> created, IEnumerable<string> deleted)
    {
        lock (_gate)
        {
            _pending[owner] = new Pending([.. created], [.. deleted], _time.GetUtcNow());
        }
    }

    /// <summary>True when the cache shows every expected change (<paramref name="present"/>: names the cache holds now).</summary>
    public bool Satisfied(ObjectKey owner, IReadOnlySet<string> present)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(owner, out var pending))
            {
                return true;
            }

            var done = (pending.Created.All(present.Contains) && !pending.Deleted.Any(present.Contains))
                || _time.GetUtcNow() - pending.At > Expiry;
            if (done)
            {
                _pending.Remove(owner);
            }

            return done;
        }
    }

    /// <summary>Forgets <paramref name="owner"/> (it is gone).</summary>
    public void Forget(ObjectKey owner)
    {
        lock (_gate)
        {
            _pending.Remove(owner);
        }
    }

    private sealed record Pending(HashSet<string> Created, HashSet<string> Deleted, DateTimeOffset At);
}
