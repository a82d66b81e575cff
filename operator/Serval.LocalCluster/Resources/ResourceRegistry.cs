namespace Serval.LocalCluster.Resources;

/// <summary>
/// Every resource type being served. Reads vastly outnumber changes (a CRD created or deleted), so the tables are
/// immutable snapshots swapped on change and read without locks.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly Lock _writeLock = new();
    private Snapshot _snapshot = new([], 0);

    internal ResourceRegistry(IEnumerable<ResourceType> builtIns)
    {
        foreach (var type in builtIns)
        {
            Add([type], customDefinition: null);
        }
    }

    /// <summary>Bumped on every change; discovery and OpenAPI documents are keyed by it.</summary>
    public long Revision => _snapshot.Revision;

    public IReadOnlyList<ResourceType> All => _snapshot.Types;

    public ResourceType? Find(string group, string version, string plural) =>
        _snapshot.ByPath.GetValueOrDefault((group, version, plural));

    public ResourceType? FindByKind(string group, string version, string kind) =>
        _snapshot.ByKind.GetValueOrDefault((group, version, kind));

    /// <summary>The storage version of a group/resource (where its objects live), or null when not served.</summary>
    public ResourceType? StorageType(string groupResource) =>
        _snapshot.Types.FirstOrDefault(t => t.StorageResource == groupResource && t.IsStorageVersion)
        ?? _snapshot.Types.FirstOrDefault(t => t.StorageResource == groupResource);

    /// <summary>Groups in discovery order (core first, then in the order they were added) with their versions.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var result = new List<(string, IReadOnlyList<string>)>();
        foreach (var group in _snapshot.Types.Select(t => t.Group).Distinct())
        {
            var versions = _snapshot.Types.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
            versions.Sort(CompareVersions);
            result.Add((group, versions));
        }

        return result;
    }

    /// <summary>Name of the CRD that serves a group/resource, if it is custom.</summary>
    public string? DefinitionOf(string groupResource) => _snapshot.Definitions.GetValueOrDefault(groupResource);

    internal void ReplaceCustom(string definitionName, string groupResource, IReadOnlyList<ResourceType> types)
    {
        lock (_writeLock)
        {
            var kept = _snapshot.Types.Where(t => t.GroupResource != groupResource).ToList();
            _snapshot = Build(kept, _snapshot.Revision + 1, _snapshot.Definitions);
            if (types.Count > 0)
            {
                Add(types, definitionName);
            }
            else
            {
                var definitions = new Dictionary<string, string>(_snapshot.Definitions);
                definitions.Remove(groupResource);
                _snapshot = Build(_snapshot.Types, _snapshot.Revision + 1, definitions);
            }
        }
    }

    /// <summary>Orders versions as Kubernetes does: GA before beta before alpha, higher numbers first.</summary>
    public static int CompareVersions(string a, string b)
    {
        static (int Level, int Major, int Minor) Rank(string v)
        {
            var m = System.Text.RegularExpressions.Regex.Match(v, "^v(\\d+)(?:(alpha|beta)(\\d+))?$");
            if (!m.Success)
            {
                return (-1, 0, 0);
            }

            var level = m.Groups[2].Value switch { "" => 3, "beta" => 2, _ => 1 };
            var minor = m.Groups[3].Success && m.Groups[3].Value.Length > 0 ? int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            return (level, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), minor);
        }

        var ra = Rank(a);
        var rb = Rank(b);
        if (ra.Level != rb.Level)
        {
            return rb.Level.CompareTo(ra.Level);
        }

        if (ra.Level < 0)
        {
            return string.CompareOrdinal(a, b);
        }

        return ra.Major != rb.Major ? rb.Major.CompareTo(ra.Major) : rb.Minor.CompareTo(ra.Minor);
    }

    private void Add(IReadOnlyList<ResourceType> types, string? customDefinition)
    {
        var all = _snapshot.Types.Concat(types).ToList();
        var definitions = new Dictionary<string, string>(_snapshot.Definitions);
        if (customDefinition is not null)
        {
            definitions[types[0].GroupResource] = customDefinition;
        }

        _snapshot = Build(all, _snapshot.Revision + 1, definitions);
    }

    private static Snapshot Build(IReadOnlyList<ResourceType> types, long revision, IReadOnlyDictionary<string, string> definitions)
    {
        var snapshot = new Snapshot(types, revision) { Definitions = definitions };
        foreach (var t in types)
        {
            snapshot.ByPath[(t.Group, t.Version, t.Plural)] = t;
            snapshot.ByKind[(t.Group, t.Version, t.Kind)] = t;
        }

        return snapshot;
    }

    private sealed record Snapshot(IReadOnlyList<ResourceType> Types, long Revision)
    {
        public Dictionary<(string, string, string), ResourceType> ByPath { get; } = [];

        public Dictionary<(string, string, string), ResourceType> ByKind { get; } = [];

        public IReadOnlyDictionary<string, string> Definitions { get; init; } = new Dictionary<string, string>();
    }
}
