namespace Serval.Controllers.Cache;

/// <summary>
/// Jittered exponential backoff between failed attempts: each delay is the current step plus up
/// to <c>jitter</c> times that step, and the step doubles up to the cap.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly double _jitter;
    private readonly Random _random;
    private TimeSpan _step;

    public ReconnectBackoff(TimeSpan initial, TimeSpan max, double jitter, Random random)
    {
        _initial = initial;
        _max = max;
        _jitter = jitter;
        _random = random;
        _step = initial;
    }

    public TimeSpan Next()
    {
        var delay = _step + (_step * (_jitter * _random.NextDouble()));
        _step = _step * 2 > _max ? _max : _step * 2;
        return delay;
    }

    public void Reset() => _step = _initial;
}
