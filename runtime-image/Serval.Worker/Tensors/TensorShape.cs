using System.Globalization;

namespace Serval.Worker.Tensors;

/// <summary>Helpers for shapes held as <c>long[]</c>, where -1 marks a dynamic dimension in a signature.</summary>
internal static class TensorShape
{
    /// <summary>Product of the dimensions, or -1 when it exceeds <paramref name="limit"/>.</summary>
    public static long ElementCount(ReadOnlySpan<long> shape, long limit)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim == 0)
            {
                return 0;
            }
        }

        foreach (var dim in shape)
        {
            if (dim < 0 || count > limit / dim)
            {
                return -1;
            }

            count *= dim;
        }

        return count;
    }

    /// <summary>"[2, 16]".</summary>
    public static string Format(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>Whether a concrete shape fits a signature shape (same rank, equal fixed dimensions).</summary>
    public static bool Fits(ReadOnlySpan<long> shape, ReadOnlySpan<long> signature)
    {
        if (shape.Length != signature.Length)
        {
            return false;
        }

        for (var i = 0; i < shape.Length; i++)
        {
            if (signature[i] >= 0 && signature[i] != shape[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether two shapes agree after their first dimension.</summary>
    public static bool SameTrailing(ReadOnlySpan<long> a, ReadOnlySpan<long> b) =>
        a.Length == b.Length && a.Length > 0 && a[1..].SequenceEqual(b[1..]);
}
