namespace Serval.LocalCluster.Resources;

/// <summary>Resolves how the list at a path merges; the path holds field names only (list items are skipped).</summary>
public interface IListTypes
{
    ListType Resolve(IReadOnlyList<string> path);
}
