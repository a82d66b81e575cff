namespace Serval.LocalCluster.Watch;

/// <summary>The watch event types of the Kubernetes wire protocol.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}
