namespace Serval.LocalCluster.Resources;

/// <summary>
/// How a list merges: by key (<see cref="Keys"/>, the SSA map keys; <see cref="PatchMergeKey"/>, the strategic-merge key),
/// as a set of scalars, or atomically (replaced whole).
/// </summary>
public sealed record ListType(IReadOnlyList<string> Keys, string? PatchMergeKey, bool IsSet)
{
    public static ListType Atomic { get; } = new([], null, false);

    public static ListType Set { get; } = new([], null, true);

    public bool IsMap => Keys.Count > 0;

    public static ListType Map(string patchKey, params string[] keys) => new(keys.Length == 0 ? [patchKey] : keys, patchKey, false);
}
