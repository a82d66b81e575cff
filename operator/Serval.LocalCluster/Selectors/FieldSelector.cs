using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Selectors;

/// <summary>
/// A field selector (<c>metadata.name=x,metadata.namespace!=y</c>, also <c>==</c>). Every type supports
/// metadata.name and metadata.namespace; others only the fields their type declares, as on a real server.
/// </summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string, bool, string)> terms)
    {
        _terms = terms;
    }

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The name the selector pins with metadata.name=..., if any (lets a watch skip other objects cheaply).</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public static FieldSelector Parse(string? text, IReadOnlyList<string> supportedFields, string resource)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (field, equal, value) = Split(part, text);
            if (field is not ("metadata.name" or "metadata.namespace") && !supportedFields.Contains(field))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, equal, value));
        }

        _ = resource;
        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (field, equal, value) in _terms)
        {
            var actual = obj.At(field.Split('.')) switch
            {
                null => string.Empty,
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                var n => n.ToJsonString(),
            };
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Matches using only the name and namespace (no parse of the object needed).</summary>
    public bool? MatchesMetadataOnly(string? ns, string name)
    {
        foreach (var (field, equal, value) in _terms)
        {
            string actual;
            if (field == "metadata.name")
            {
                actual = name;
            }
            else if (field == "metadata.namespace")
            {
                actual = ns ?? string.Empty;
            }
            else
            {
                return null;
            }

            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    private static (string, bool, string) Split(string part, string whole)
    {
        foreach (var (token, equal) in new[] { ("!=", false), ("==", true), ("=", true) })
        {
            var at = part.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                return (part[..at].Trim(), equal, part[(at + token.Length)..].Trim());
            }
        }

        throw ApiException.BadRequest($"invalid selector: '{whole}'; can't understand '{part}'");
    }
}
