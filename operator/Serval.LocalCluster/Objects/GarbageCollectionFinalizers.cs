namespace Serval.LocalCluster.Objects;

/// <summary>The finalizers through which DELETE asks the garbage collector for orphan or foreground propagation.</summary>
internal static class GarbageCollectionFinalizers
{
    public const string Orphan = "orphan";
    public const string Foreground = "foregroundDeletion";
}
