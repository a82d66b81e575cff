using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Cel;

namespace Serval.LocalCluster.Admission.Cel.Libraries;

/// <summary>
/// Kubernetes' CEL regex library: <c>find</c> and <c>findAll</c>. Patterns are compiled once per schema and
/// run without backtracking, as RE2 does, so a rule cannot take exponential time.
/// </summary>
internal sealed class RegexLibrary
{
    public static readonly string[] Names = ["find", "findAll"];

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Regex> _cache = new(StringComparer.Ordinal);

    public void Register(CelEnvironment env)
    {
        var s = typeof(string);
        env.RegisterFunction("find", [s, s], a => Find(CelArgs.Str(a[0]), CelArgs.Str(a[1])));
        env.RegisterFunction("findAll", [s, s], a => FindAll(CelArgs.Str(a[0]), CelArgs.Str(a[1]), -1));
        env.RegisterFunction("findAll", [s, s, typeof(long)], a => FindAll(CelArgs.Str(a[0]), CelArgs.Str(a[1]), CelArgs.Int(a[2])));
    }

    public Regex Get(string pattern) => _cache.GetOrAdd(pattern, static p =>
    {
        try
        {
            return new Regex(p, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new CelEvaluationException($"invalid regular expression '{p}': {ex.Message}", ex);
        }
    });

    private string Find(string s, string pattern)
    {
        var match = Get(pattern).Match(s);
        return match.Success ? match.Value : string.Empty;
    }

    private object?[] FindAll(string s, string pattern, long limit)
    {
        if (limit == 0)
        {
            return [];
        }

        var result = new List<object?>();
        foreach (Match match in Get(pattern).Matches(s))
        {
            if (limit > 0 && result.Count >= limit)
            {
                break;
            }

            result.Add(match.Value);
        }

        return [.. result];
    }
}
