using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Monitoring;
using Serval.Controllers.Queue;

namespace Serval.Controllers.Reconciliation;

/// <summary>
/// Runs one reconciler: keys of changed objects go through a rate-limited work queue to a pool
/// of workers; the reconcile result decides the key's next step (success: forget; requeue after:
/// forget and add after; error or exception: add rate-limited).
/// </summary>
/// <typeparam name="T">The primary kind.</typeparam>
public sealed class Controller<T> : IController, IEnqueuer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IReconciler<T> _reconciler;
    private readonly ICacheReader<T> _cache;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ControllerMetrics _metrics;
    private RateLimitingQueue<ObjectKey>? _queue;

    internal Controller(
        string name,
        IReconciler<T> reconciler,
        ICacheReader<T> cache,
        ControllerOptions options,
        TimeProvider time,
        ILogger logger,
        ControllerMetrics metrics)
    {
        Name = name;
        _reconciler = reconciler;
        _cache = cache;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    public string Name { get; }

    public ResourceKind Kind => ResourceKind.Of<T>();

    /// <summary>True while this process leads (or needs no election) and the workers run.</summary>
    public bool IsRunning => Volatile.Read(ref _queue) is not null;

    /// <summary>Keys ready in the work queue.</summary>
    public int QueueLength => Volatile.Read(ref _queue)?.Length ?? 0;

    /// <summary>No key ready and none being reconciled (keys waiting for a later retry do not count).</summary>
    public bool IsIdle => Volatile.Read(ref _queue) is not { } queue || (queue.Length == 0 && queue.ProcessingCount == 0);

    /// <summary>Queues a reconcile of <paramref name="key"/> (ignored while the workers do not run).</summary>
    public void Enqueue(ObjectKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Volatile.Read(ref _queue)?.Add(key);
    }

    /// <summary>Queues a reconcile of <paramref name="key"/> after <paramref name="delay"/>.</summary>
    public void EnqueueAfter(ObjectKey key, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(key);
        Volatile.Read(ref _queue)?.AddAfter(key, delay);
    }

    async Task IController.RunAsync(TimeSpan shutdownTimeout, CancellationToken stop, CancellationToken abort)
    {
        using var queue = new RateLimitingQueue<ObjectKey>(_time, _options.RateLimiter?.Invoke(_time));
        if (Interlocked.CompareExchange(ref _queue, queue, null) is not null)
        {
            throw new InvalidOperationException($"Controller '{Name}' is already running.");
        }

        // Informers ran before this term began, so their add events may have gone nowhere: start
        // from everything the cache holds.
        foreach (var obj in _cache.List())
        {
            queue.Add(ObjectKey.Of(obj));
        }

        ControllerLog.Started(_logger, Name, _options.MaxConcurrentReconciles, queue.Length);
        using var reconcile = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var workers = Enumerable.Range(0, _options.MaxConcurrentReconciles)
            .Select(_ => Task.Run(() => WorkAsync(queue, stop, reconcile.Token), CancellationToken.None))
            .ToList();
        if (_options.ResyncPeriod is { } period)
        {
            workers.Add(ResyncAsync(queue, period, stop));
        }

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (stop.Register(() => stopped.TrySetResult()))
        {
            await stopped.Task.ConfigureAwait(false);
        }

        Interlocked.Exchange(ref _queue, null);
        queue.ShutDown();
        var all = Task.WhenAll(workers);
        try
        {
            await all.WaitAsync(shutdownTimeout, _time, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            ControllerLog.ShutdownTimedOut(_logger, Name, shutdownTimeout);
            await reconcile.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }

        ControllerLog.Stopped(_logger, Name);
    }

    private async Task WorkAsync(RateLimitingQueue<ObjectKey> queue, CancellationToken stop, CancellationToken reconcileToken)
    {
        while (true)
        {
            QueueItem<ObjectKey> next;
            try
            {
                next = await queue.GetAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (next.ShuttingDown)
            {
                return;
            }

            var key = next.Item;
            try
            {
                // Once the term ends, queued keys are left for the next leader.
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                await ReconcileAsync(queue, key, reconcileToken).ConfigureAwait(false);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    private async Task ReconcileAsync(RateLimitingQueue<ObjectKey> queue, ObjectKey key, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        string result;
        try
        {
            var outcome = await _reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Reconciler of controller '{Name}' returned null for {key}.");
            result = outcome.MetricResult;
            switch (outcome.Outcome)
            {
                case ReconcileOutcome.Success:
                    queue.Forget(key);
                    break;
                case ReconcileOutcome.RequeueAfter:
                    queue.Forget(key);
                    queue.AddAfter(key, outcome.Delay);
                    break;
                case ReconcileOutcome.Requeue:
                    queue.AddRateLimited(key);
                    break;
                default:
                    ControllerLog.ReconcileError(_logger, Name, key, queue.NumRequeues(key) + 1, outcome.Message ?? "error");
                    queue.AddRateLimited(key);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The term was aborted (leadership lost or shutdown timed out): the next leader retries.
            result = "error";
        }
        catch (KubernetesApiException e) when (e.IsConflict)
        {
            // Optimistic concurrency at work: the object changed after the cache served it. Routine, not a fault: the
            // retry reads the newer version.
            var attempt = queue.NumRequeues(key) + 1;
            ControllerLog.ReconcileConflict(_logger, Name, key, attempt, e.Message);

            queue.AddRateLimited(key);
            result = "error";
        }
        catch (Exception e)
        {
            ControllerLog.ReconcileThrew(_logger, e, Name, key, queue.NumRequeues(key) + 1);
            queue.AddRateLimited(key);
            result = "error";
        }

        var elapsed = _time.GetElapsedTime(started);
        _metrics.ReconcileTotal.WithLabels(Name, result).Inc();
        _metrics.ReconcileDuration.WithLabels(Name).Observe(elapsed.TotalSeconds);
        ControllerLog.Reconciled(_logger, Name, key, result, elapsed);
    }

    private async Task ResyncAsync(RateLimitingQueue<ObjectKey> queue, TimeSpan period, CancellationToken stop)
    {
        while (true)
        {
            try
            {
                await Task.Delay(period, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var obj in _cache.List())
            {
                queue.Add(ObjectKey.Of(obj));
            }
        }
    }
}
