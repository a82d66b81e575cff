namespace Serval.Controllers.Memory;

/// <summary>When a controller host hands memory back after a burst of work (see <see cref="MemoryTrimmer"/>).</summary>
public sealed class MemoryTrimOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How often the trimmer looks; the controllers must have been idle at two looks in a row.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Allocations since the last trim that make one worth it: a burst, not the trickle of an idle process.</summary>
    public long MinAllocatedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The least time between two trims, so that a process that alternates short bursts and pauses does not compact
    /// at every pause. Short: a trim at start-up (the first sync of an empty cluster) must not hold back the one after
    /// the burst that follows.
    /// </summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws with the option and value when one is unusable.</summary>
    public void Validate()
    {
        if (CheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(MemoryTrimOptions)}.{nameof(CheckInterval)} must be positive, got {CheckInterval}.");
        }

        if (MinAllocatedBytes < 0)
        {
            throw new ArgumentException($"{nameof(MemoryTrimOptions)}.{nameof(MinAllocatedBytes)} must not be negative, got {MinAllocatedBytes}.");
        }

        if (MinInterval < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(MemoryTrimOptions)}.{nameof(MinInterval)} must not be negative, got {MinInterval}.");
        }
    }
}
