using k8s;
using k8s.Models;

namespace Serval.Controllers.Kubernetes;

/// <summary>One event of a watch.</summary>
/// <param name="Type">ADDED, MODIFIED, DELETED, BOOKMARK (Object holds only a resourceVersion) or ERROR.</param>
/// <param name="Object">The object, or null for ERROR.</param>
/// <param name="Status">For ERROR, what the server said (410 means the resume point is too old: relist).</param>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, V1Status? Status = null)
    where T : class
{
    /// <summary>True for an ERROR event with code 410 Gone.</summary>
    public bool IsGone => Type == WatchEventType.Error && Status?.Code == 410;
}
