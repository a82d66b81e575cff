using System.Globalization;
using System.Text;

namespace Serval.Operator.Metrics;

/// <summary>
/// Parses the Prometheus text exposition format (version 0.0.4), which every worker's <c>/metrics</c> speaks.
/// Small on purpose: the operator reads a handful of series, so this keeps every sample and lets callers pick.
/// </summary>
internal static class PrometheusTextParser
{
    private static readonly HashSet<string> KnownTypes = new(StringComparer.Ordinal) { "counter", "gauge", "histogram", "summary", "untyped" };

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="PrometheusFormatException">A line is malformed; the message names the line.</exception>
    public static PrometheusExposition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r').Trim(' ', '\t');
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                ParseComment(line, lineNumber, types);
                continue;
            }

            samples.Add(ParseSample(line, lineNumber));
        }

        return new PrometheusExposition(samples, types);
    }

    private static void ParseComment(string line, int lineNumber, Dictionary<string, string> types)
    {
        var parts = line[1..].TrimStart().Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts[0] is not ("TYPE" or "HELP"))
        {
            return; // an ordinary comment
        }

        if (parts.Length < 2 || !IsMetricName(parts[1]))
        {
            throw PrometheusFormatException.AtLine(lineNumber, $"# {parts[0]} needs a metric name", line);
        }

        if (parts[0] == "TYPE")
        {
            var type = parts.Length == 3 ? parts[2].Trim() : "";
            if (!KnownTypes.Contains(type))
            {
                throw PrometheusFormatException.AtLine(lineNumber, $"unknown metric type '{type}' (expected counter, gauge, histogram, summary or untyped)", line);
            }

            types[parts[1]] = type;
        }
    }

    private static PrometheusSample ParseSample(string line, int lineNumber)
    {
        var i = 0;
        while (i < line.Length && IsNameChar(line[i], i == 0))
        {
            i++;
        }

        if (i == 0)
        {
            throw PrometheusFormatException.AtLine(lineNumber, "expected a metric name", line);
        }

        var name = line[..i];
        IReadOnlyDictionary<string, string> labels = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;
        if (i < line.Length && line[i] == '{')
        {
            labels = ParseLabels(line, ref i, lineNumber);
        }

        var rest = line[i..].Trim(' ', '\t');
        if (rest.Length == 0)
        {
            throw PrometheusFormatException.AtLine(lineNumber, $"sample '{name}' has no value", line);
        }

        var fields = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length > 2)
        {
            throw PrometheusFormatException.AtLine(lineNumber, $"unexpected text after the value of '{name}'", line);
        }

        if (!TryParseValue(fields[0], out var value))
        {
            throw PrometheusFormatException.AtLine(lineNumber, $"value '{fields[0]}' of '{name}' is not a number", line);
        }

        long? timestamp = null;
        if (fields.Length == 2)
        {
            if (!long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ts))
            {
                throw PrometheusFormatException.AtLine(lineNumber, $"timestamp '{fields[1]}' of '{name}' is not an integer", line);
            }

            timestamp = ts;
        }

        return new PrometheusSample(name, labels, value, timestamp);
    }

    private static Dictionary<string, string> ParseLabels(string line, ref int i, int lineNumber)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        i++; // '{'
        while (true)
        {
            SkipSpaces(line, ref i);
            if (i >= line.Length)
            {
                throw PrometheusFormatException.AtLine(lineNumber, "labels are not closed with '}'", line);
            }

            if (line[i] == '}')
            {
                i++;
                return labels;
            }

            var start = i;
            while (i < line.Length && IsLabelChar(line[i], i == start))
            {
                i++;
            }

            if (i == start)
            {
                throw PrometheusFormatException.AtLine(lineNumber, $"expected a label name at column {i + 1}", line);
            }

            var labelName = line[start..i];
            SkipSpaces(line, ref i);
            if (i >= line.Length || line[i] != '=')
            {
                throw PrometheusFormatException.AtLine(lineNumber, $"expected '=' after label '{labelName}'", line);
            }

            i++;
            SkipSpaces(line, ref i);
            if (i >= line.Length || line[i] != '"')
            {
                throw PrometheusFormatException.AtLine(lineNumber, $"value of label '{labelName}' must be quoted", line);
            }

            i++;
            var value = new StringBuilder();
            while (true)
            {
                if (i >= line.Length)
                {
                    throw PrometheusFormatException.AtLine(lineNumber, $"value of label '{labelName}' is not closed with '\"'", line);
                }

                var c = line[i++];
                if (c == '"')
                {
                    break;
                }

                if (c == '\\')
                {
                    if (i >= line.Length)
                    {
                        throw PrometheusFormatException.AtLine(lineNumber, $"value of label '{labelName}' ends inside an escape", line);
                    }

                    var escaped = line[i++];
                    value.Append(escaped switch
                    {
                        'n' => '\n',
                        '\\' => '\\',
                        '"' => '"',
                        _ => throw PrometheusFormatException.AtLine(lineNumber, $"unknown escape '\\{escaped}' in label '{labelName}'", line),
                    });
                    continue;
                }

                value.Append(c);
            }

            if (!labels.TryAdd(labelName, value.ToString()))
            {
                throw PrometheusFormatException.AtLine(lineNumber, $"label '{labelName}' appears twice", line);
            }

            SkipSpaces(line, ref i);
            if (i < line.Length && line[i] == ',')
            {
                i++;
            }
            else if (i < line.Length && line[i] != '}')
            {
                throw PrometheusFormatException.AtLine(lineNumber, $"expected ',' or '}}' after label '{labelName}'", line);
            }
        }
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "NaN":
                value = double.NaN;
                return true;
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
                    && !double.IsNaN(value) && !double.IsInfinity(value);
        }
    }

    private static void SkipSpaces(string line, ref int i)
    {
        while (i < line.Length && (line[i] == ' ' || line[i] == '\t'))
        {
            i++;
        }
    }

    private static bool IsMetricName(string s) => s.Length > 0 && s.Select((c, i) => IsNameChar(c, i == 0)).All(ok => ok);

    private static bool IsNameChar(char c, bool first) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || (!first && c is >= '0' and <= '9');

    private static bool IsLabelChar(char c, bool first) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (!first && c is >= '0' and <= '9');
}
