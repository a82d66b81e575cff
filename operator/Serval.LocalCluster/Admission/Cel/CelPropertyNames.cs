using System.Collections.Frozen;
using System.Text;

namespace Serval.LocalCluster.Admission.Cel;

/// <summary>
/// Kubernetes' escaping of schema property names into CEL field names: CEL keywords become <c>__namespace__</c>,
/// and <c>__</c>, <c>.</c>, <c>-</c>, <c>/</c> become <c>__underscores__</c>, <c>__dot__</c>, <c>__dash__</c>, <c>__slash__</c>.
/// Names with other characters are not reachable from CEL.
/// </summary>
internal static class CelPropertyNames
{
    private static readonly FrozenSet<string> Reserved = FrozenSet.ToFrozenSet(
    [
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",
        "import", "let", "loop", "package", "namespace", "return", "var", "void", "while",
    ], StringComparer.Ordinal);

    /// <summary>The CEL field name for a property, or null when CEL cannot name it.</summary>
    public static string? Escape(string name)
    {
        if (Reserved.Contains(name))
        {
            return "__" + name + "__";
        }

        if (name.Length == 0 || !IsValidStart(name[0]) || !name.All(IsValidPart))
        {
            return null;
        }

        if (name.AsSpan().IndexOfAny("_.-/") < 0)
        {
            return name;
        }

        var sb = new StringBuilder(name.Length + 16);
        for (var i = 0; i < name.Length; i++)
        {
            switch (name[i])
            {
                case '_' when i + 1 < name.Length && name[i + 1] == '_':
                    sb.Append("__underscores__");
                    i++;
                    break;
                case '.':
                    sb.Append("__dot__");
                    break;
                case '-':
                    sb.Append("__dash__");
                    break;
                case '/':
                    sb.Append("__slash__");
                    break;
                default:
                    sb.Append(name[i]);
                    break;
            }
        }

        return sb.ToString();
    }

    private static bool IsValidStart(char c) => char.IsAsciiLetter(c) || c is '_' or '.' or '-' or '/';

    private static bool IsValidPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '/';
}
