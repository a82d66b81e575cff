using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Admission.Validation;

/// <summary>
/// Prints values the way Go's fmt does in kube-apiserver's messages (%v for numbers, %q for strings, %#v for
/// maps and lists), so that our messages read exactly like the real API server's.
/// </summary>
internal static class GoFormat
{
    /// <summary>
    /// A bad value as field errors print it: %v of an int64 or float64, %q of a string, %#v of a map or list;
    /// a nil value prints as the quoted string "null", as Kubernetes substitutes it before quoting.
    /// </summary>
    public static string Value(object? value) => value switch
    {
        null => "\"null\"",
        string s => Quote(s),
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => Float(d),
        JsonNode node => NodeValue(node),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };

    /// <summary>The value as the API server prints a JSON-decoded value: int64, float64, string, bool or %#v.</summary>
    public static string NodeValue(JsonNode? node)
    {
        return node switch
        {
            JsonObject or JsonArray => SharpV(node),
            JsonValue v => Value(JsonValues.ToScalar(v)),
            _ => Value(null),
        };
    }

    /// <summary>Go's %#v of a JSON-decoded value (map[string]interface {}, []interface {}, ...).</summary>
    public static string SharpV(JsonNode? node)
    {
        var sb = new StringBuilder();
        AppendSharpV(sb, node);
        return sb.ToString();
    }

    private static void AppendSharpV(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("interface {}(nil)");
                break;
            case JsonObject o:
                sb.Append("map[string]interface {}{");
                var first = true;
                foreach (var (key, child) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    sb.Append(Quote(key)).Append(':');
                    AppendSharpV(sb, child);
                }

                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append("[]interface {}{");
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    AppendSharpV(sb, a[i]);
                }

                sb.Append('}');
                break;
            case JsonValue v:
                sb.Append(Value(JsonValues.ToScalar(v)));
                break;
        }
    }

    /// <summary>Go's strconv.Quote: double quotes, backslash escapes, printable Unicode kept.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (IsPrintable(rune))
                    {
                        sb.Append(rune.ToString());
                    }
                    else if (rune.Value < 0x80)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
                    }
                    else if (rune.Value < 0x10000)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
                    }
                    else
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"\\U{rune.Value:x8}");
                    }

                    break;
            }
        }

        sb.Append('"');
        return sb.ToString();
    }

    private static bool IsPrintable(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        return category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator)
            && (category != UnicodeCategory.SpaceSeparator || rune.Value == ' ');
    }

    /// <summary>Go's %v of a float64: shortest digits, exponent form below 1e-4 or from 1e+06 on (1e+06, 2.5e-05).</summary>
    public static string Float(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "+Inf" : "-Inf";
        }

        if (d == 0)
        {
            return double.IsNegative(d) ? "-0" : "0";
        }

        var (negative, digits, decimalPoint) = ShortestDigits(d);
        var exponent = decimalPoint - 1;
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        if (exponent < -4 || exponent >= 6)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            sb.Append('e').Append(exponent < 0 ? '-' : '+');
            var abs = Math.Abs(exponent);
            sb.Append(abs < 10 ? "0" : string.Empty).Append(abs.ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        if (decimalPoint <= 0)
        {
            sb.Append("0.").Append('0', -decimalPoint).Append(digits);
        }
        else if (decimalPoint >= digits.Length)
        {
            sb.Append(digits).Append('0', decimalPoint - digits.Length);
        }
        else
        {
            sb.Append(digits, 0, decimalPoint).Append('.').Append(digits, decimalPoint, digits.Length - decimalPoint);
        }

        return sb.ToString();
    }

    /// <summary>The shortest round-trip decimal digits of d and where the decimal point sits among them.</summary>
    private static (bool Negative, string Digits, int DecimalPoint) ShortestDigits(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        var negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }

        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var decimalPoint = (dot >= 0 ? dot : text.Length) + exponent;
        var digits = dot >= 0 ? text.Remove(dot, 1) : text;
        var leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0')
        {
            leading++;
        }

        digits = digits[leading..].TrimEnd('0');
        return (negative, digits.Length == 0 ? "0" : digits, decimalPoint - leading);
    }
}
