namespace Serval.LocalCluster.Resources;

/// <summary>
/// How a list merges: by key (<see cref="Keys"/>, the SSA map keys; <see cref="PatchMergeKey"/>, the strategic-merge key),
/// as a set of scalars, or atomically (replaced whole).
/// </summary>
public sealed record ListType(IReadOnlyList<string> Keys, string? PatchMergeKey, bool IsSet)
{
    /// <summary>Values key fields take when an item omits them (a port's protocol is TCP), so items still match.</summary>
    public IReadOnlyDictionary<string, string> KeyDefaults { get; init; } = new Dictionary<string, string>();

    public static ListType Atomic { get; } = new([], null, false);

    public static ListType Set { get; } = new([], null, true);

    public bool IsMap => Keys.Count > 0;

    public static ListType Map(string patchKey, params string[] keys) => new(keys.Length == 0 ? [patchKey] : keys, patchKey, false);
}
