namespace Serval.Api.Schema;

/// <summary>
/// How the API server merges the list (server-side apply) and what it refuses: <c>atomic</c> (replaced whole),
/// <c>set</c> (scalars, no duplicates) or <c>map</c> (objects, unique by <see cref="MapKeys"/>).
/// </summary>
/// <param name="type">atomic, set or map.</param>
/// <param name="mapKeys">For a map list, the fields that identify an item.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListTypeAttribute(string type, params string[] mapKeys) : Attribute
{
    /// <summary>atomic, set or map.</summary>
    public string Type { get; } = type;

    /// <summary>For a map list, the fields that identify an item.</summary>
    public IReadOnlyList<string> MapKeys { get; } = mapKeys;
}
