using System.Text.RegularExpressions;

namespace Serval.LocalCluster.Local.Proxy;

/// <summary>One entry of a rule's <c>matches</c>: every header must match, and the path when one is given.</summary>
public sealed record RouteMatch(IReadOnlyList<HeaderMatch> Headers, PathMatchType PathType = PathMatchType.PathPrefix, string PathValue = "/")
{
    /// <summary>The match of an HTTPRoute rule without <c>matches</c>: every request.</summary>
    public static RouteMatch Any { get; } = new([]);

    public bool Matches(Func<string, string?> header, string path)
    {
        ArgumentNullException.ThrowIfNull(header);
        foreach (var h in Headers)
        {
            if (!string.Equals(header(h.Name), h.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return PathType switch
        {
            PathMatchType.Exact => string.Equals(path, PathValue, StringComparison.Ordinal),
            PathMatchType.RegularExpression => Regex.IsMatch(path, PathValue, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)),
            _ => PrefixMatches(path, PathValue),
        };
    }

    // Gateway API prefixes match whole path elements: "/v2" matches "/v2" and "/v2/models" but not "/v2x".
    private static bool PrefixMatches(string path, string prefix)
    {
        var trimmed = prefix.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return true;
        }

        return path.StartsWith(trimmed, StringComparison.Ordinal) && (path.Length == trimmed.Length || path[trimmed.Length] == '/');
    }
}
