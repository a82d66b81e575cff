namespace Serval.LocalCluster.Storage;

/// <summary>The one monotonic resourceVersion counter every resource's storage draws from.</summary>
public sealed class ResourceVersionClock
{
    private long _value;

    public long Current => Interlocked.Read(ref _value);

    public long Next() => Interlocked.Increment(ref _value);

    /// <summary>Moves the clock forward to at least <paramref name="value"/> (after loading persisted objects).</summary>
    public void AdvanceTo(long value)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _value);
            if (seen >= value)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _value, value, seen) != seen);
    }
}
