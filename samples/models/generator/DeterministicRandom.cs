namespace Serval.SampleModels;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by its seed on every platform and runtime
/// version, unlike <see cref="Random"/> whose algorithm is an implementation detail.
/// </summary>
internal sealed class DeterministicRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A value in [-scale, scale), rounded to a multiple of 1/4096 so it prints exactly.</summary>
    public float NextSymmetric(float scale)
    {
        var unit = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        var value = ((unit * 2.0) - 1.0) * scale;
        return (float)(Math.Round(value * 4096.0) / 4096.0);
    }

    public float[] NextSymmetric(int count, float scale)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = NextSymmetric(scale);
        }

        return values;
    }

    private ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
