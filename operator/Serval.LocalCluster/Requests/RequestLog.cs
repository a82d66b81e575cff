namespace Serval.LocalCluster.Requests;

/// <summary>
/// Every request the server answered (up to a capacity; the oldest are dropped first). Tests count and filter it to
/// prove, for example, that a resync of unchanged objects makes no writes.
/// </summary>
public sealed class RequestLog
{
    private readonly Lock _lock = new();
    private readonly RequestRecord?[] _ring;
    private int _start;
    private int _count;

    public RequestLog(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new RequestRecord?[capacity];
    }

    /// <summary>Requests recorded so far (at most the capacity), oldest first.</summary>
    public IReadOnlyList<RequestRecord> Snapshot()
    {
        lock (_lock)
        {
            var result = new RequestRecord[_count];
            for (var i = 0; i < _count; i++)
            {
                result[i] = _ring[(_start + i) % _ring.Length]!;
            }

            return result;
        }
    }

    public IReadOnlyList<RequestRecord> Where(Func<RequestRecord, bool> predicate) => Snapshot().Where(predicate).ToList();

    public int Count(Func<RequestRecord, bool>? predicate = null) =>
        predicate is null ? Snapshot().Count : Snapshot().Count(predicate);

    /// <summary>Write requests (create, update, patch, delete, deletecollection), optionally for one resource.</summary>
    public int CountWrites(string? resource = null) => Count(r => r.IsWrite && (resource is null || r.Resource == resource));

    public void Clear()
    {
        lock (_lock)
        {
            Array.Clear(_ring);
            _start = 0;
            _count = 0;
        }
    }

    internal void Add(RequestRecord record)
    {
        lock (_lock)
        {
            if (_count == _ring.Length)
            {
                _ring[_start] = record;
                _start = (_start + 1) % _ring.Length;
            }
            else
            {
                _ring[(_start + _count) % _ring.Length] = record;
                _count++;
            }
        }
    }
}
