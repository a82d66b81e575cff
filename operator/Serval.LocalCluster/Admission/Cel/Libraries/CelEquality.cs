using Google.Protobuf;

namespace Serval.LocalCluster.Admission.Cel.Libraries;

/// <summary>CEL equality over the values our conversion produces (numbers by value, lists and maps deeply).</summary>
internal static class CelEquality
{
    public static bool AreEqual(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (long or ulong or double or int, long or ulong or double or int) => NumbersEqual(a, b),
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (bool x, bool y) => x == y,
        (ByteString x, ByteString y) => x.Equals(y),
        (object?[] x, object?[] y) => x.Length == y.Length && x.Zip(y).All(p => AreEqual(p.First, p.Second)),
        (IDictionary<string, object?> x, IDictionary<string, object?> y) =>
            x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var other) && AreEqual(p.Value, other)),
        _ => a.Equals(b),
    };

    private static bool NumbersEqual(object a, object b) => (a, b) switch
    {
        (long x, long y) => x == y,
        (ulong x, ulong y) => x == y,
        _ => Convert.ToDouble(a, null).Equals(Convert.ToDouble(b, null)),
    };
}
