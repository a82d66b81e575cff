namespace Serval.Controllers.Queue;

/// <summary>The rate limiters a controller uses unless told otherwise.</summary>
public static class WorkQueueRateLimiters
{
    /// <summary>The shortest per-item retry delay.</summary>
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>The longest per-item retry delay.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(1000);

    /// <summary>Overall retries per second once the burst is spent.</summary>
    public const double DefaultQps = 10;

    /// <summary>Retries allowed at once before the overall rate applies.</summary>
    public const int DefaultBurst = 100;

    /// <summary>
    /// Per-item exponential backoff (5 ms .. 1000 s) combined with an overall token bucket
    /// (10 qps, burst 100): an item waits for the longer of the two.
    /// </summary>
    public static IWorkQueueRateLimiter<T> Default<T>(TimeProvider time)
        where T : notnull =>
        new MaxOfRateLimiter<T>(
            new ExponentialBackoffRateLimiter<T>(DefaultBaseDelay, DefaultMaxDelay),
            new BucketRateLimiter<T>(DefaultQps, DefaultBurst, time));
}
