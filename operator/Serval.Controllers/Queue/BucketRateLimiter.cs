namespace Serval.Controllers.Queue;

/// <summary>
/// An overall token bucket shared by all items: <c>burst</c> retries go at once, then
/// <c>qps</c> per second. Each call reserves a token, possibly in the future, and returns the
/// wait until that token exists.
/// </summary>
/// <typeparam name="T">The queue's item type.</typeparam>
public sealed class BucketRateLimiter<T> : IWorkQueueRateLimiter<T>
    where T : notnull
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _qps;
    private readonly int _burst;
    private double _tokens;
    private DateTimeOffset _last;

    public BucketRateLimiter(double qps, int burst, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!(qps > 0) || double.IsInfinity(qps))
        {
            throw new ArgumentOutOfRangeException(nameof(qps), qps, $"{nameof(qps)} must be a positive finite number, got {qps}.");
        }

        if (burst < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(burst), burst, $"{nameof(burst)} must be at least 1, got {burst}.");
        }

        _qps = qps;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetUtcNow();
    }

    public TimeSpan When(T item)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now > _last)
            {
                _tokens = Math.Min(_burst, _tokens + ((now - _last).TotalSeconds * _qps));
                _last = now;
            }

            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    public void Forget(T item)
    {
    }

    public int NumRequeues(T item) => 0;
}
