using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Tables;

/// <summary>
/// The subset of Kubernetes JSONPath that printer columns and scale paths use: <c>.a.b</c>, <c>['a.b']</c>,
/// <c>[0]</c>, <c>[*]</c> and filters <c>[?(@.type=="Ready")]</c> with ==, !=, &lt;, &gt;, &lt;=, &gt;=.
/// </summary>
internal sealed class JsonPathExpression
{
    private readonly IReadOnlyList<Step> _steps;

    private JsonPathExpression(string text, IReadOnlyList<Step> steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    /// <summary>The member names of a plain dotted path (no indexes or filters), or null.</summary>
    public IReadOnlyList<string>? SimplePath =>
        _steps.All(s => s is MemberStep) ? _steps.Cast<MemberStep>().Select(s => s.Name).ToList() : null;

    public static JsonPathExpression Parse(string text)
    {
        var expr = text.Trim();
        if (expr.StartsWith('{') && expr.EndsWith('}'))
        {
            expr = expr[1..^1].Trim();
        }

        if (expr.StartsWith('$'))
        {
            expr = expr[1..];
        }

        var steps = new List<Step>();
        var i = 0;
        while (i < expr.Length)
        {
            var c = expr[i];
            if (c == '.')
            {
                i++;
                var name = new StringBuilder();
                while (i < expr.Length && expr[i] is not ('.' or '['))
                {
                    if (expr[i] == '\\' && i + 1 < expr.Length)
                    {
                        i++;
                    }

                    name.Append(expr[i++]);
                }

                if (name.Length > 0)
                {
                    steps.Add(new MemberStep(name.ToString()));
                }
            }
            else if (c == '[')
            {
                var end = FindClosingBracket(expr, i, text);
                var inner = expr[(i + 1)..end].Trim();
                i = end + 1;
                steps.Add(ParseBracket(inner, text));
            }
            else
            {
                var name = new StringBuilder();
                while (i < expr.Length && expr[i] is not ('.' or '['))
                {
                    name.Append(expr[i++]);
                }

                steps.Add(new MemberStep(name.ToString()));
            }
        }

        return new JsonPathExpression(text, steps);
    }

    /// <summary>Every value the path reaches, in document order.</summary>
    public IReadOnlyList<JsonNode?> Evaluate(JsonNode? root)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var step in _steps)
        {
            current = current.SelectMany(step.Apply).ToList();
        }

        return current.ToList();
    }

    private static int FindClosingBracket(string expr, int open, string original)
    {
        var depth = 0;
        char? quote = null;
        for (var j = open; j < expr.Length; j++)
        {
            var c = expr[j];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    if (depth == 0)
                    {
                        return j;
                    }

                    break;
            }
        }

        throw new FormatException($"JSONPath \"{original}\": unclosed '['");
    }

    private static Step ParseBracket(string inner, string original)
    {
        if (inner == "*")
        {
            return new WildcardStep();
        }

        if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
        {
            return new MemberStep(inner[1..^1]);
        }

        if (int.TryParse(inner, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
        {
            return new IndexStep(index);
        }

        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            return ParseFilter(inner[2..^1].Trim(), original);
        }

        throw new FormatException($"JSONPath \"{original}\": unsupported selector [{inner}]");
    }

    private static FilterStep ParseFilter(string condition, string original)
    {
        string[] operators = ["==", "!=", "<=", ">=", "<", ">"];
        foreach (var op in operators)
        {
            var at = IndexOutsideQuotes(condition, op);
            if (at < 0)
            {
                continue;
            }

            var left = condition[..at].Trim();
            var right = condition[(at + op.Length)..].Trim();
            if (!left.StartsWith('@'))
            {
                throw new FormatException($"JSONPath \"{original}\": filter must compare @ with a value");
            }

            return new FilterStep(Parse(left[1..]), op, ParseLiteral(right));
        }

        var exists = condition.Trim();
        if (exists.StartsWith('@'))
        {
            return new FilterStep(Parse(exists[1..]), null, null);
        }

        throw new FormatException($"JSONPath \"{original}\": unsupported filter ({condition})");
    }

    private static int IndexOutsideQuotes(string text, string token)
    {
        char? quote = null;
        for (var i = 0; i + token.Length <= text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
                continue;
            }

            if (string.CompareOrdinal(text, i, token, 0, token.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonValue? ParseLiteral(string text)
    {
        if (text.Length >= 2 && text[0] is '\'' or '"' && text[^1] == text[0])
        {
            return JsonValue.Create(text[1..^1]);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return text switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" => null,
            _ => JsonValue.Create(text),
        };
    }

    private abstract record Step
    {
        public abstract IEnumerable<JsonNode?> Apply(JsonNode? node);
    }

    private sealed record MemberStep(string Name) : Step
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node) =>
            node is JsonObject o && o.TryGetPropertyValue(Name, out var child) ? [child] : [];
    }

    private sealed record IndexStep(int Index) : Step
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node)
        {
            if (node is not JsonArray a)
            {
                return [];
            }

            var i = Index < 0 ? a.Count + Index : Index;
            return i >= 0 && i < a.Count ? [a[i]] : [];
        }
    }

    private sealed record WildcardStep : Step
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node) => node switch
        {
            JsonArray a => a,
            JsonObject o => o.Select(p => p.Value),
            _ => [],
        };
    }

    private sealed record FilterStep(JsonPathExpression Left, string? Operator, JsonNode? Right) : Step
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node)
        {
            if (node is not JsonArray a)
            {
                return [];
            }

            return a.Where(item =>
            {
                var values = Left.Evaluate(item);
                if (Operator is null)
                {
                    return values.Count > 0;
                }

                return values.Count > 0 && Compare(values[0], Operator, Right);
            });
        }

        private static bool Compare(JsonNode? left, string op, JsonNode? right)
        {
            var l = Number(left);
            var r = Number(right);
            if (l is not null && r is not null)
            {
                return op switch
                {
                    "==" => l == r,
                    "!=" => l != r,
                    "<" => l < r,
                    ">" => l > r,
                    "<=" => l <= r,
                    _ => l >= r,
                };
            }

            var ls = Text(left);
            var rs = Text(right);
            var cmp = string.CompareOrdinal(ls, rs);
            return op switch
            {
                "==" => cmp == 0,
                "!=" => cmp != 0,
                "<" => cmp < 0,
                ">" => cmp > 0,
                "<=" => cmp <= 0,
                _ => cmp >= 0,
            };
        }

        private static double? Number(JsonNode? node) =>
            node is JsonValue v && !v.TryGetValue<string>(out _) && double.TryParse(v.ToJsonString(), NumberStyles.Float,
                CultureInfo.InvariantCulture, out var d) ? d : null;

        private static string Text(JsonNode? node) => node switch
        {
            null => "null",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };
    }
}
