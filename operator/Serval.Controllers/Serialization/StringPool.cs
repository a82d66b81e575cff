using System.Text;

namespace Serval.Controllers.Serialization;

/// <summary>
/// A fixed-size, lock-free cache of short strings keyed by their UTF-8 bytes, so that a value read many times
/// (a label key, a namespace, an image, an owner's uid) is one string rather than one per object that carries it.
/// Two ways per set and random replacement, as a CPU cache: a value seen once (a resourceVersion) costs a slot for
/// a while and is then evicted, so the pool never grows and never holds more than <see cref="Capacity"/> strings.
/// Safe to call from any thread: a slot is one reference, written whole, and a lost race only loses sharing.
/// </summary>
public sealed class StringPool
{
    /// <summary>Longer values are decoded as they are: long strings are rarely repeated, and hashing them costs.</summary>
    public const int MaxPooledBytes = 128;

    private readonly string?[] _slots;
    private readonly int _setMask;

    /// <param name="sets">A power of two; twice as many strings fit.</param>
    public StringPool(int sets = 8192)
    {
        if (sets < 1 || (sets & (sets - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sets), sets, "the number of sets must be a power of two");
        }

        _slots = new string?[sets * 2];
        _setMask = sets - 1;
    }

    /// <summary>How many strings the pool holds at most.</summary>
    public int Capacity => _slots.Length;

    /// <summary>The string of <paramref name="utf8"/>: one already pooled when the pool holds it.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxPooledBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        var code = hash.ToHashCode();
        var set = (code & _setMask) * 2;
        for (var way = 0; way < 2; way++)
        {
            var candidate = Volatile.Read(ref _slots[set + way]);
            if (candidate is not null && Same(utf8, candidate))
            {
                return candidate;
            }
        }

        var value = Encoding.UTF8.GetString(utf8);
        Volatile.Write(ref _slots[set + ((code >>> 16) & 1)], value);
        return value;
    }

    private static bool Same(ReadOnlySpan<byte> utf8, string candidate)
    {
        // Kubernetes names, labels and enums are ASCII: compare without decoding.
        if (candidate.Length == utf8.Length && Ascii.Equals(utf8, candidate))
        {
            return true;
        }

        return candidate.Length < utf8.Length && !Ascii.IsValid(utf8) && Encoding.UTF8.GetString(utf8) == candidate;
    }
}
