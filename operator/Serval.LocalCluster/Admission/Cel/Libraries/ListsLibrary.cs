using Cel;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Serval.LocalCluster.Admission.Cel.Libraries;

/// <summary>
/// Kubernetes' CEL list library: isSorted, sum, min, max, indexOf, lastIndexOf; plus a <c>size</c> that
/// returns CEL's int (the Cel package returns a 32-bit count, which does not mix with int arithmetic).
/// </summary>
internal static class ListsLibrary
{
    public static readonly string[] Names = ["isSorted", "sum", "min", "max", "indexOf", "lastIndexOf", "size"];

    public static void Register(CelEnvironment env)
    {
        var list = typeof(object[]);
        env.RegisterFunction("isSorted", [list], a => IsSorted(CelArgs.List(a[0])));
        env.RegisterFunction("sum", [list], a => Sum(CelArgs.List(a[0])));
        env.RegisterFunction("min", [list], a => Extreme(CelArgs.List(a[0]), "min", -1));
        env.RegisterFunction("max", [list], a => Extreme(CelArgs.List(a[0]), "max", 1));
        env.RegisterFunction("indexOf", [list, typeof(object)], a => IndexOf(CelArgs.List(a[0]), a[1], last: false));
        env.RegisterFunction("lastIndexOf", [list, typeof(object)], a => IndexOf(CelArgs.List(a[0]), a[1], last: true));
        env.RegisterFunction("size", [list], a => (long)CelArgs.List(a[0]).Length);
        env.RegisterFunction("size", [typeof(string)], a => (long)CountCodePoints(CelArgs.Str(a[0])));
        env.RegisterFunction("size", [typeof(Dictionary<string, object?>)], a => (long)((Dictionary<string, object?>)a[0]!).Count);
        env.RegisterFunction("size", [typeof(ByteString)], a => (long)((ByteString)a[0]!).Length);
    }

    private static int CountCodePoints(string s)
    {
        var count = 0;
        foreach (var unused in s.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static bool IsSorted(object?[] list)
    {
        for (var i = 1; i < list.Length; i++)
        {
            if (Compare(list[i - 1], list[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static object Sum(object?[] list)
    {
        if (list.Length == 0)
        {
            return 0L;
        }

        switch (list[0])
        {
            case long or int:
                var total = 0L;
                foreach (var item in list)
                {
                    total = checked(total + CelArgs.Int(item));
                }

                return total;
            case ulong:
                var utotal = 0UL;
                foreach (var item in list)
                {
                    utotal = checked(utotal + (item as ulong? ?? throw Mixed("sum")));
                }

                return utotal;
            case double:
                var dtotal = 0d;
                foreach (var item in list)
                {
                    dtotal += item as double? ?? throw Mixed("sum");
                }

                return dtotal;
            case Duration:
                var span = TimeSpan.Zero;
                foreach (var item in list)
                {
                    span += (item as Duration ?? throw Mixed("sum")).ToTimeSpan();
                }

                return Duration.FromTimeSpan(span);
            default:
                throw new CelEvaluationException($"no such overload: sum on list({CelArgs.TypeName(list[0])})");
        }
    }

    private static object? Extreme(object?[] list, string name, int sign)
    {
        if (list.Length == 0)
        {
            throw new CelEvaluationException($"{name} called on empty list");
        }

        var best = list[0];
        for (var i = 1; i < list.Length; i++)
        {
            if (Compare(list[i], best) * sign > 0)
            {
                best = list[i];
            }
        }

        return best;
    }

    private static long IndexOf(object?[] list, object? value, bool last)
    {
        if (last)
        {
            for (var i = list.Length - 1; i >= 0; i--)
            {
                if (CelEquality.AreEqual(list[i], value))
                {
                    return i;
                }
            }
        }
        else
        {
            for (var i = 0; i < list.Length; i++)
            {
                if (CelEquality.AreEqual(list[i], value))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    /// <summary>Orders two comparable CEL values of one kind; numbers of different kinds compare by value.</summary>
    public static int Compare(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (ulong x, ulong y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (long or ulong or double or int, long or ulong or double or int) => Convert.ToDouble(a, null).CompareTo(Convert.ToDouble(b, null)),
        (string x, string y) => string.CompareOrdinal(x, y),
        (bool x, bool y) => x.CompareTo(y),
        (ByteString x, ByteString y) => x.Span.SequenceCompareTo(y.Span),
        (Duration x, Duration y) => x.CompareTo(y),
        (Timestamp x, Timestamp y) => x.CompareTo(y),
        (Quantity x, Quantity y) => x.CompareTo(y),
        _ => throw new CelEvaluationException($"no such overload: cannot compare {CelArgs.TypeName(a)} and {CelArgs.TypeName(b)}"),
    };

    private static CelEvaluationException Mixed(string name) => new($"no such overload: {name} on a list of mixed types");
}
