using Serval.LocalCluster.Storage;

namespace Serval.LocalCluster.Watch;

/// <summary>
/// One change as watchers see it. <see cref="Previous"/> is the object before the change (so a label-selected watch
/// can turn a MODIFIED into ADDED or DELETED when the object enters or leaves the selection).
/// Bookmarks carry only <see cref="ResourceVersion"/>.
/// </summary>
public sealed record WatchEvent(WatchEventType Type, StoredObject? Object, StoredObject? Previous, long ResourceVersion)
{
    /// <summary>Set on the bookmark that ends the initial events of a sendInitialEvents watch.</summary>
    public bool InitialEventsEnd { get; init; }
}
