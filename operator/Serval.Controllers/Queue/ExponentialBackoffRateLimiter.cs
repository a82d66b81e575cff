namespace Serval.Controllers.Queue;

/// <summary>
/// Per-item exponential backoff: <c>baseDelay * 2^failures</c>, capped at <c>maxDelay</c>.
/// </summary>
/// <typeparam name="T">The queue's item type.</typeparam>
public sealed class ExponentialBackoffRateLimiter<T> : IWorkQueueRateLimiter<T>
    where T : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<T, int> _failures = [];
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    public ExponentialBackoffRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        if (baseDelay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(baseDelay), baseDelay, $"{nameof(baseDelay)} must be positive, got {baseDelay}.");
        }

        if (maxDelay < baseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelay), maxDelay, $"{nameof(maxDelay)} ({maxDelay}) must be at least {nameof(baseDelay)} ({baseDelay}).");
        }

        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
    }

    public TimeSpan When(T item)
    {
        int exponent;
        lock (_gate)
        {
            _failures.TryGetValue(item, out exponent);
            _failures[item] = exponent == int.MaxValue ? exponent : exponent + 1;
        }

        // Computed in double so that a long failure streak saturates at the cap instead of overflowing.
        var ticks = _baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= _maxDelay.Ticks ? _maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public void Forget(T item)
    {
        lock (_gate)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (_gate)
        {
            return _failures.TryGetValue(item, out var count) ? count : 0;
        }
    }
}
