using System.Text;
using Cel;

namespace Serval.LocalCluster.Admission.Cel.Libraries;

/// <summary>
/// Kubernetes' CEL string extensions: charAt, indexOf, lastIndexOf, lowerAscii, upperAscii, replace, split,
/// substring, trim, join. Indices count Unicode code points, as in CEL.
/// </summary>
internal static class StringsLibrary
{
    public static readonly string[] Names =
        ["charAt", "indexOf", "lastIndexOf", "lowerAscii", "upperAscii", "replace", "split", "substring", "trim", "join"];

    public static void Register(CelEnvironment env)
    {
        var s = typeof(string);
        var i = typeof(long);
        env.RegisterFunction("charAt", [s, i], a => CharAt(CelArgs.Str(a[0]), CelArgs.Int(a[1])));
        env.RegisterFunction("indexOf", [s, s], a => IndexOf(CelArgs.Str(a[0]), CelArgs.Str(a[1]), 0));
        env.RegisterFunction("indexOf", [s, s, i], a => IndexOf(CelArgs.Str(a[0]), CelArgs.Str(a[1]), CelArgs.Int(a[2])));
        env.RegisterFunction("lastIndexOf", [s, s], a => LastIndexOf(CelArgs.Str(a[0]), CelArgs.Str(a[1]), null));
        env.RegisterFunction("lastIndexOf", [s, s, i], a => LastIndexOf(CelArgs.Str(a[0]), CelArgs.Str(a[1]), CelArgs.Int(a[2])));
        env.RegisterFunction("lowerAscii", [s], a => MapAscii(CelArgs.Str(a[0]), upper: false));
        env.RegisterFunction("upperAscii", [s], a => MapAscii(CelArgs.Str(a[0]), upper: true));
        env.RegisterFunction("replace", [s, s, s], a => Replace(CelArgs.Str(a[0]), CelArgs.Str(a[1]), CelArgs.Str(a[2]), -1));
        env.RegisterFunction("replace", [s, s, s, i], a => Replace(CelArgs.Str(a[0]), CelArgs.Str(a[1]), CelArgs.Str(a[2]), CelArgs.Int(a[3])));
        env.RegisterFunction("split", [s, s], a => Split(CelArgs.Str(a[0]), CelArgs.Str(a[1]), -1));
        env.RegisterFunction("split", [s, s, i], a => Split(CelArgs.Str(a[0]), CelArgs.Str(a[1]), CelArgs.Int(a[2])));
        env.RegisterFunction("substring", [s, i], a => Substring(CelArgs.Str(a[0]), CelArgs.Int(a[1]), null));
        env.RegisterFunction("substring", [s, i, i], a => Substring(CelArgs.Str(a[0]), CelArgs.Int(a[1]), CelArgs.Int(a[2])));
        env.RegisterFunction("trim", [s], a => CelArgs.Str(a[0]).Trim());
        env.RegisterFunction("join", [typeof(object[])], a => Join(CelArgs.List(a[0]), string.Empty));
        env.RegisterFunction("join", [typeof(object[]), s], a => Join(CelArgs.List(a[0]), CelArgs.Str(a[1])));
    }

    private static int[] CodePoints(string s)
    {
        var result = new List<int>(s.Length);
        foreach (var rune in s.EnumerateRunes())
        {
            result.Add(rune.Value);
        }

        return [.. result];
    }

    private static string FromCodePoints(ReadOnlySpan<int> points)
    {
        var sb = new StringBuilder(points.Length);
        foreach (var p in points)
        {
            sb.Append(new Rune(p).ToString());
        }

        return sb.ToString();
    }

    private static string CharAt(string s, long index)
    {
        var points = CodePoints(s);
        if (index < 0 || index > points.Length)
        {
            throw new CelEvaluationException($"index out of range: {index}");
        }

        return index == points.Length ? string.Empty : new Rune(points[index]).ToString();
    }

    private static long IndexOf(string s, string sub, long offset)
    {
        var points = CodePoints(s);
        var needle = CodePoints(sub);
        if (offset < 0 || offset > points.Length)
        {
            throw new CelEvaluationException($"index out of range: {offset}");
        }

        for (var start = (int)offset; start + needle.Length <= points.Length; start++)
        {
            if (points.AsSpan(start, needle.Length).SequenceEqual(needle))
            {
                return start;
            }
        }

        return -1;
    }

    private static long LastIndexOf(string s, string sub, long? offset)
    {
        var points = CodePoints(s);
        var needle = CodePoints(sub);
        var from = offset ?? points.Length;
        if (from < 0 || from > points.Length)
        {
            throw new CelEvaluationException($"index out of range: {from}");
        }

        for (var start = (int)Math.Min(from, points.Length - needle.Length); start >= 0; start--)
        {
            if (points.AsSpan(start, needle.Length).SequenceEqual(needle))
            {
                return start;
            }
        }

        return -1;
    }

    private static string MapAscii(string s, bool upper)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (upper && c is >= 'a' and <= 'z')
            {
                chars[i] = (char)(c - 32);
            }
            else if (!upper && c is >= 'A' and <= 'Z')
            {
                chars[i] = (char)(c + 32);
            }
        }

        return new string(chars);
    }

    private static string Replace(string s, string oldValue, string newValue, long count)
    {
        if (count == 0)
        {
            return s;
        }

        if (count < 0)
        {
            return oldValue.Length == 0 ? ReplaceEmpty(s, newValue, long.MaxValue) : s.Replace(oldValue, newValue, StringComparison.Ordinal);
        }

        if (oldValue.Length == 0)
        {
            return ReplaceEmpty(s, newValue, count);
        }

        var sb = new StringBuilder();
        var position = 0;
        for (var done = 0L; done < count; done++)
        {
            var found = s.IndexOf(oldValue, position, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            sb.Append(s, position, found - position).Append(newValue);
            position = found + oldValue.Length;
        }

        return sb.Append(s, position, s.Length - position).ToString();
    }

    // Go's strings.Replace with an empty old string inserts the new one before every code point and at the end.
    private static string ReplaceEmpty(string s, string newValue, long count)
    {
        var sb = new StringBuilder();
        var done = 0L;
        foreach (var rune in s.EnumerateRunes())
        {
            if (done < count)
            {
                sb.Append(newValue);
                done++;
            }

            sb.Append(rune.ToString());
        }

        if (done < count)
        {
            sb.Append(newValue);
        }

        return sb.ToString();
    }

    private static object?[] Split(string s, string separator, long limit)
    {
        if (limit == 0)
        {
            return [];
        }

        List<string> parts;
        if (separator.Length == 0)
        {
            parts = [.. s.EnumerateRunes().Select(r => r.ToString())];
            if (limit > 0 && parts.Count > limit)
            {
                var head = parts.Take((int)limit - 1).ToList();
                head.Add(string.Concat(parts.Skip((int)limit - 1)));
                parts = head;
            }
        }
        else
        {
            parts = limit > 0
                ? [.. s.Split(separator, (int)Math.Min(limit, int.MaxValue), StringSplitOptions.None)]
                : [.. s.Split(separator, StringSplitOptions.None)];
        }

        return [.. parts.Cast<object?>()];
    }

    private static string Substring(string s, long start, long? end)
    {
        var points = CodePoints(s);
        var stop = end ?? points.Length;
        if (start < 0 || start > points.Length)
        {
            throw new CelEvaluationException($"index out of range: {start}");
        }

        if (stop < 0 || stop > points.Length)
        {
            throw new CelEvaluationException($"index out of range: {stop}");
        }

        if (start > stop)
        {
            throw new CelEvaluationException($"invalid substring range. start: {start}, end: {stop}");
        }

        return FromCodePoints(points.AsSpan((int)start, (int)(stop - start)));
    }

    private static string Join(object?[] list, string separator)
    {
        var parts = new string[list.Length];
        for (var i = 0; i < list.Length; i++)
        {
            parts[i] = list[i] as string
                ?? throw new CelEvaluationException($"join: list element {i} is {CelArgs.TypeName(list[i])}, not string");
        }

        return string.Join(separator, parts);
    }
}
