using System.Text;
using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Selectors;

/// <summary>
/// A label selector with every operator Kubernetes has: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>,
/// <c>a notin (x)</c>, <c>a</c> (exists), <c>!a</c> (does not exist); also built from a metav1.LabelSelector object.
/// </summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements)
    {
        _requirements = requirements;
    }

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r.Matches(labels));

    /// <summary>Parses the query-string form; a malformed selector is a 400 naming the selector.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim(), text));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>Builds from a metav1.LabelSelector (matchLabels, matchExpressions); <paramref name="field"/> names it in errors.</summary>
    public static LabelSelector FromJson(JsonObject selector, string field)
    {
        var requirements = new List<Requirement>();
        foreach (var (key, value) in selector.StringMap("matchLabels"))
        {
            requirements.Add(new Requirement(key, Operator.Equals, [value]));
        }

        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var key = expression.StringAt("key") ?? string.Empty;
                var values = expression.StringList("values");
                var op = expression.StringAt("operator") switch
                {
                    "In" => Operator.In,
                    "NotIn" => Operator.NotIn,
                    "Exists" => Operator.Exists,
                    "DoesNotExist" => Operator.DoesNotExist,
                    var other => throw ApiException.BadRequest($"{field}.matchExpressions: unsupported operator \"{other}\""),
                };
                requirements.Add(new Requirement(key, op, values));
            }
        }

        return new LabelSelector(requirements);
    }

    /// <summary>The query-string form, as the scale subresource reports a selector.</summary>
    public override string ToString() => string.Join(",", _requirements.Select(r => r.ToString()));

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }

            if (c == ',' && depth == 0)
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        yield return current.ToString();
    }

    private static Requirement ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Invalid(whole, "empty requirement");
        }

        if (part.StartsWith('!'))
        {
            return new Requirement(CheckKey(part[1..].Trim(), whole), Operator.DoesNotExist, []);
        }

        foreach (var (token, op) in new[] { ("!=", Operator.NotEquals), ("==", Operator.Equals), ("=", Operator.Equals) })
        {
            var at = part.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                var value = part[(at + token.Length)..].Trim();
                return new Requirement(CheckKey(part[..at].Trim(), whole), op, [value]);
            }
        }

        var words = part.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 1)
        {
            return new Requirement(CheckKey(words[0], whole), Operator.Exists, []);
        }

        var rest = words[1];
        Operator setOp;
        if (rest.StartsWith("notin", StringComparison.Ordinal))
        {
            setOp = Operator.NotIn;
            rest = rest[5..].Trim();
        }
        else if (rest.StartsWith("in", StringComparison.Ordinal))
        {
            setOp = Operator.In;
            rest = rest[2..].Trim();
        }
        else
        {
            throw Invalid(whole, $"unknown operator in \"{part}\"");
        }

        if (!rest.StartsWith('(') || !rest.EndsWith(')'))
        {
            throw Invalid(whole, $"expected a parenthesised list of values in \"{part}\"");
        }

        var values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries).Where(v => v.Length > 0).ToList();
        return new Requirement(CheckKey(words[0], whole), setOp, values);
    }

    private static string CheckKey(string key, string whole) =>
        key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '!' or '=')
            ? throw Invalid(whole, $"invalid label key \"{key}\"")
            : key;

    private static ApiException Invalid(string selector, string why) =>
        ApiException.BadRequest($"unable to parse requirement: labelSelector \"{selector}\": {why}");

    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Operator.Equals => has && value == Values[0],
                Operator.NotEquals => !has || value != Values[0],
                Operator.In => has && Values.Contains(value!),
                Operator.NotIn => !has || !Values.Contains(value!),
                Operator.Exists => has,
                _ => !has,
            };
        }

        public override string ToString() => Op switch
        {
            Operator.Equals => $"{Key}={Values[0]}",
            Operator.NotEquals => $"{Key}!={Values[0]}",
            Operator.In => $"{Key} in ({string.Join(",", Values)})",
            Operator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
            Operator.Exists => Key,
            _ => $"!{Key}",
        };
    }
}
