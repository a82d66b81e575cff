namespace Serval.Controllers.Queue;

/// <summary>Asks every limiter and waits for the longest answer.</summary>
/// <typeparam name="T">The queue's item type.</typeparam>
public sealed class MaxOfRateLimiter<T> : IWorkQueueRateLimiter<T>
    where T : notnull
{
    private readonly IWorkQueueRateLimiter<T>[] _limiters;

    public MaxOfRateLimiter(params IWorkQueueRateLimiter<T>[] limiters)
    {
        ArgumentNullException.ThrowIfNull(limiters);
        if (limiters.Length == 0)
        {
            throw new ArgumentException("At least one rate limiter is needed.", nameof(limiters));
        }

        _limiters = limiters;
    }

    public TimeSpan When(T item)
    {
        var longest = TimeSpan.Zero;
        foreach (var limiter in _limiters)
        {
            var wait = limiter.When(item);
            if (wait > longest)
            {
                longest = wait;
            }
        }

        return longest;
    }

    public void Forget(T item)
    {
        foreach (var limiter in _limiters)
        {
            limiter.Forget(item);
        }
    }

    public int NumRequeues(T item) => _limiters.Max(l => l.NumRequeues(item));
}
