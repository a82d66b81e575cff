using k8s.Models;

namespace Serval.Controllers.Cache;

/// <summary>
/// A Kubernetes label selector: all requirements must hold. Parses the API's string form
/// (<c>app=web,tier!=db,env in (a,b),canary,!legacy</c>) and converts a <see cref="V1LabelSelector"/>.
/// </summary>
public sealed class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements)
    {
        Requirements = requirements;
    }

    /// <summary>The selector that matches every object.</summary>
    public static LabelSelector Everything { get; } = new([]);

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool IsEverything => Requirements.Count == 0;

    /// <summary>A selector of equality requirements, one per entry.</summary>
    public static LabelSelector FromLabels(IEnumerable<KeyValuePair<string, string>> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return new LabelSelector(labels
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new LabelRequirement(ValidKey(l.Key, "matchLabels"), LabelOperator.Equal, [l.Value]))
            .ToArray());
    }

    /// <summary>Converts matchLabels and matchExpressions; a null selector matches nothing, as in the API.</summary>
    public static LabelSelector? FromV1(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return null;
        }

        var requirements = new List<LabelRequirement>();
        if (selector.MatchLabels is not null)
        {
            requirements.AddRange(FromLabels(selector.MatchLabels).Requirements);
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var key = ValidKey(expression.Key, "matchExpressions.key");
            var values = expression.Values?.ToArray() ?? [];
            var op = expression.OperatorProperty switch
            {
                "In" => LabelOperator.In,
                "NotIn" => LabelOperator.NotIn,
                "Exists" => LabelOperator.Exists,
                "DoesNotExist" => LabelOperator.DoesNotExist,
                _ => throw new FormatException(
                    $"matchExpressions.operator must be In, NotIn, Exists or DoesNotExist, got '{expression.OperatorProperty}' for key '{key}'."),
            };
            if (op is LabelOperator.In or LabelOperator.NotIn && values.Length == 0)
            {
                throw new FormatException($"matchExpressions.values must not be empty for operator {expression.OperatorProperty} on key '{key}'.");
            }

            requirements.Add(new LabelRequirement(key, op, values));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>Parses the string form; empty or null is <see cref="Everything"/>.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var clause in SplitClauses(text))
        {
            requirements.Add(ParseClause(clause.Trim(), text));
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(IDictionary<string, string>? labels)
    {
        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The string form the API accepts.</summary>
    public override string ToString() => string.Join(",", Requirements.Select(r => r.ToString()));

    private static IEnumerable<string> SplitClauses(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth < 0)
                    {
                        throw new FormatException($"Label selector '{text}' has an unmatched ')' at position {i}.");
                    }

                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        if (depth != 0)
        {
            throw new FormatException($"Label selector '{text}' has an unclosed '('.");
        }

        yield return text[start..];
    }

    private static LabelRequirement ParseClause(string clause, string text)
    {
        if (clause.Length == 0)
        {
            throw new FormatException($"Label selector '{text}' has an empty requirement.");
        }

        if (clause.StartsWith('!'))
        {
            return new LabelRequirement(ValidKey(clause[1..].Trim(), text), LabelOperator.DoesNotExist, []);
        }

        foreach (var (token, op) in new[] { ("!=", LabelOperator.NotEqual), ("==", LabelOperator.Equal), ("=", LabelOperator.Equal) })
        {
            var at = clause.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                var value = clause[(at + token.Length)..].Trim();
                return new LabelRequirement(ValidKey(clause[..at].Trim(), text), op, [ValidValue(value, text)]);
            }
        }

        var open = clause.IndexOf('(', StringComparison.Ordinal);
        if (open > 0)
        {
            if (!clause.EndsWith(')'))
            {
                throw new FormatException($"Label selector '{text}': '{clause}' must end with ')'.");
            }

            var head = clause[..open].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (head.Length != 2 || (head[1] != "in" && head[1] != "notin"))
            {
                throw new FormatException($"Label selector '{text}': '{clause}' must read 'key in (values)' or 'key notin (values)'.");
            }

            var values = clause[(open + 1)..^1]
                .Split(',', StringSplitOptions.TrimEntries)
                .Select(v => ValidValue(v, text))
                .ToArray();
            return new LabelRequirement(ValidKey(head[0], text), head[1] == "in" ? LabelOperator.In : LabelOperator.NotIn, values);
        }

        return new LabelRequirement(ValidKey(clause, text), LabelOperator.Exists, []);
    }

    private static string ValidKey(string key, string context)
    {
        if (string.IsNullOrEmpty(key) || key.Any(c => char.IsWhiteSpace(c) || c is '=' or '!' or '(' or ')' or ','))
        {
            throw new FormatException($"Label selector '{context}': '{key}' is not a valid label key.");
        }

        return key;
    }

    private static string ValidValue(string value, string context)
    {
        if (value.Any(c => char.IsWhiteSpace(c) || c is '=' or '!' or '(' or ')' or ','))
        {
            throw new FormatException($"Label selector '{context}': '{value}' is not a valid label value.");
        }

        return value;
    }
}
