using System.Collections.Concurrent;

namespace Serval.Operator.ExternalMetrics;

/// <summary>The decisions the external metrics API serves: written by the autoscaling loop, read by HTTP handlers.</summary>
internal sealed class DesiredReplicasStore
{
    private readonly ConcurrentDictionary<RevisionKey, DesiredReplicas> _decisions = new();

    public void Set(RevisionKey revision, DesiredReplicas decision) => _decisions[revision] = decision;

    public DesiredReplicas? Get(RevisionKey revision) => _decisions.TryGetValue(revision, out var d) ? d : null;

    /// <summary>Drops revisions that are gone.</summary>
    public void RetainOnly(IReadOnlySet<RevisionKey> live)
    {
        foreach (var key in _decisions.Keys.Where(k => !live.Contains(k)))
        {
            _decisions.TryRemove(key, out _);
        }
    }
}
