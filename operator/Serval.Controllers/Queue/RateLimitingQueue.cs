namespace Serval.Controllers.Queue;

/// <summary>
/// A work queue with client-go's guarantees: an item queued twice is held once; an item is
/// never handed to two workers at once (re-added while it is processed, it runs again after
/// <see cref="Done"/>); items can wait (<see cref="AddAfter"/>) or be retried with backoff
/// (<see cref="AddRateLimited"/>). Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
/// <typeparam name="T">The item type; items are compared with their default equality.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming",
    "CA1711:Identifiers should not have incorrect suffix",
    Justification = "It is a work queue in client-go's sense, the name readers of controller code look for; it is no System.Collections.Queue.")]
public sealed class RateLimitingQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly IWorkQueueRateLimiter<T> _rateLimiter;

    // Ready items in FIFO order; every one of them is also in _dirty.
    private readonly Queue<T> _queue = new();

    // Items that need processing: queued, or re-added while being processed.
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly LinkedList<TaskCompletionSource<QueueItem<T>>> _getters = new();

    // Delayed items; the heap may hold stale entries, _readyAt holds the one that counts.
    private readonly PriorityQueue<T, DateTimeOffset> _waiting = new();
    private readonly Dictionary<T, DateTimeOffset> _readyAt = [];
    private readonly ITimer _timer;

    private bool _shuttingDown;
    private TaskCompletionSource? _drained;

    public RateLimitingQueue(TimeProvider time, IWorkQueueRateLimiter<T>? rateLimiter = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _rateLimiter = rateLimiter ?? WorkQueueRateLimiters.Default<T>(time);
        _timer = time.CreateTimer(_ => ReleaseDueItems(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Items ready to be handed out (not counting those waiting for their delay).</summary>
    public int Length
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Items that wait for their delay to pass.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_gate)
            {
                return _readyAt.Count;
            }
        }
    }

    /// <summary>Items handed to workers and not yet <see cref="Done"/>.</summary>
    public int ProcessingCount
    {
        get
        {
            lock (_gate)
            {
                return _processing.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_gate)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Queues the item now, unless it is already queued. Ignored after shutdown.</summary>
    public void Add(T item)
    {
        lock (_gate)
        {
            AddLocked(item);
        }
    }

    /// <summary>
    /// Queues the item once <paramref name="delay"/> has passed. If it already waits, the earlier
    /// of the two times wins. Ignored after shutdown.
    /// </summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            var readyAt = _time.GetUtcNow() + delay;
            if (_readyAt.TryGetValue(item, out var existing) && existing <= readyAt)
            {
                return;
            }

            _readyAt[item] = readyAt;
            _waiting.Enqueue(item, readyAt);
            ArmTimerLocked();
        }
    }

    /// <summary>Queues the item after the rate limiter's delay for it (one more failure).</summary>
    public void AddRateLimited(T item) => AddAfter(item, _rateLimiter.When(item));

    /// <summary>Clears the item's failure history: its next retry starts from the shortest delay.</summary>
    public void Forget(T item) => _rateLimiter.Forget(item);

    /// <summary>How many times the item has been retried since it was last forgotten.</summary>
    public int NumRequeues(T item) => _rateLimiter.NumRequeues(item);

    /// <summary>
    /// Waits for an item and marks it as processing. Returns a shut-down result once the queue has
    /// shut down and holds no more ready items.
    /// </summary>
    public Task<QueueItem<T>> GetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<QueueItem<T>> getter;
        LinkedListNode<TaskCompletionSource<QueueItem<T>>> node;
        lock (_gate)
        {
            if (_queue.Count > 0)
            {
                return Task.FromResult(QueueItem<T>.Of(TakeLocked()));
            }

            if (_shuttingDown)
            {
                return Task.FromResult(QueueItem<T>.Shutdown);
            }

            getter = new TaskCompletionSource<QueueItem<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _getters.AddLast(getter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    // A getter still in the list was handed nothing, so cancelling it loses no item.
                    if (node.List is null)
                    {
                        return;
                    }

                    _getters.Remove(node);
                }

                getter.TrySetCanceled(cancellationToken);
            });
            _ = getter.Task.ContinueWith(
                static (_, state) => ((CancellationTokenRegistration)state!).Dispose(),
                registration,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return getter.Task;
    }

    /// <summary>
    /// Marks the item as no longer processing. If it was added again meanwhile, it is queued now.
    /// </summary>
    public void Done(T item)
    {
        lock (_gate)
        {
            if (!_processing.Remove(item))
            {
                return;
            }

            if (_dirty.Contains(item))
            {
                EnqueueLocked(item);
            }

            CompleteDrainIfIdleLocked();
        }
    }

    /// <summary>
    /// Stops taking new items: adds are ignored, delayed items are dropped, and once the ready
    /// items are handed out, <see cref="GetAsync"/> reports shutdown.
    /// </summary>
    public void ShutDown()
    {
        List<TaskCompletionSource<QueueItem<T>>> getters;
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            _shuttingDown = true;
            _waiting.Clear();
            _readyAt.Clear();
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

            // Getters wait only while nothing is ready, so all of them learn of the shutdown now.
            getters = [.. _getters];
            _getters.Clear();
        }

        foreach (var getter in getters)
        {
            getter.TrySetResult(QueueItem<T>.Shutdown);
        }
    }

    /// <summary>
    /// Shuts down, then waits until every ready item has been handed out and every handed-out
    /// item is <see cref="Done"/>. Cancel the token to stop waiting.
    /// </summary>
    public Task ShutDownWithDrainAsync(CancellationToken cancellationToken = default)
    {
        ShutDown();
        Task drained;
        lock (_gate)
        {
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            CompleteDrainIfIdleLocked();
            drained = _drained.Task;
        }

        return drained.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        ShutDown();
        _timer.Dispose();
    }

    private void AddLocked(T item)
    {
        if (_shuttingDown || !_dirty.Add(item))
        {
            return;
        }

        // A processing item runs again after Done; queuing it now would hand it to a second worker.
        if (_processing.Contains(item))
        {
            return;
        }

        EnqueueLocked(item);
    }

    private void EnqueueLocked(T item)
    {
        _queue.Enqueue(item);
        while (_getters.First is { } first)
        {
            _getters.RemoveFirst();
            var taken = TakeLocked();

            // Continuations run asynchronously, so completing under the lock is safe.
            if (first.Value.TrySetResult(QueueItem<T>.Of(taken)))
            {
                return;
            }

            // The getter was cancelled at the same moment: put the item back for the next one.
            _processing.Remove(taken);
            _dirty.Add(taken);
            _queue.Enqueue(taken);
        }
    }

    private T TakeLocked()
    {
        var item = _queue.Dequeue();
        _processing.Add(item);
        _dirty.Remove(item);
        return item;
    }

    private void CompleteDrainIfIdleLocked()
    {
        if (_drained is not null && _queue.Count == 0 && _processing.Count == 0)
        {
            _drained.TrySetResult();
        }
    }

    private void ReleaseDueItems()
    {
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            var now = _time.GetUtcNow();
            while (_waiting.TryPeek(out var item, out var readyAt) && readyAt <= now)
            {
                _waiting.Dequeue();
                if (_readyAt.TryGetValue(item, out var current) && current == readyAt)
                {
                    _readyAt.Remove(item);
                    AddLocked(item);
                }
            }

            ArmTimerLocked();
        }
    }

    private void ArmTimerLocked()
    {
        // Drop stale heap entries so the timer is armed for an item that really waits.
        while (_waiting.TryPeek(out var item, out var readyAt)
            && (!_readyAt.TryGetValue(item, out var current) || current != readyAt))
        {
            _waiting.Dequeue();
        }

        if (!_waiting.TryPeek(out _, out var next))
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var due = next - _time.GetUtcNow();
        _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
