using Serval.Worker.Inference;
using Serval.Worker.Observability;
using Serval.Worker.Tensors;

namespace Serval.Worker.Batching;

/// <summary>
/// The dynamic batcher: a bounded queue in front of the model, and executor threads that take
/// batches from it (as <see cref="BatchPlanner"/> decides), make one session call per batch and
/// hand each request its own rows. Session calls block, so executors are dedicated threads. At most
/// <see cref="SchedulerSettings.Instances"/> session calls run at once ("slots"). When the model is
/// idle, nothing is queued, no other request is arriving and a lone call has been measured to take
/// at most <see cref="InlineComputeLimit"/>, a request runs on its caller's thread: there is nothing to
/// batch it with, and the two thread hand-offs would only add latency. The caller's thread may be the
/// socket thread (the worker completes socket I/O inline), so a slower model always goes to an executor.
/// </summary>
internal sealed partial class InferenceScheduler : IDisposable
{
    private static readonly TimeSpan SpinThreshold = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest lone session call that still runs on the caller's thread.</summary>
    public static readonly TimeSpan InlineComputeLimit = TimeSpan.FromMilliseconds(1);

    private readonly object _gate = new();
    private readonly List<PendingInference> _queue = [];
    private readonly IModelRunner _runner;
    private readonly SchedulerSettings _settings;
    private readonly BatchPolicy _policy;
    private readonly WorkerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Thread[] _executors;
    private int _arriving;
    private int _freeSlots;

    // The last lone session call's duration in timestamp ticks; -1 until one ran.
    private long _loneCompute = -1;
    private bool _stopping;

    public InferenceScheduler(IModelRunner runner, SchedulerSettings settings, WorkerMetrics metrics, TimeProvider time, ILogger logger)
    {
        _runner = runner;
        _settings = settings;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        var batching = runner.Signature.HasDynamicBatch ? settings.MaxBatchRows : 1;
        _policy = new BatchPolicy(batching, (long)(settings.MaxQueueDelay.TotalSeconds * time.TimestampFrequency));
        _freeSlots = settings.Instances;
        _executors = new Thread[settings.Instances];
        for (var i = 0; i < _executors.Length; i++)
        {
            _executors[i] = new Thread(ExecutorLoop) { IsBackground = true, Name = $"serval-executor-{i}" };
            _executors[i].Start();
        }
    }

    /// <summary>Requests waiting in the queue.</summary>
    public int QueueLength
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Whether the last lone session call took at most <see cref="InlineComputeLimit"/> (false before any ran).</summary>
    public bool LoneCallIsShort
    {
        get
        {
            var ticks = Volatile.Read(ref _loneCompute);
            return ticks >= 0 && ticks <= InlineComputeLimit.TotalSeconds * _time.TimestampFrequency;
        }
    }

    /// <summary>Rows per batch the batcher aims for (1 when the model cannot batch).</summary>
    public int MaxBatchRows => _policy.MaxBatchRows;

    /// <summary>A request is being received: the batcher may wait for it to join a batch.</summary>
    public void Arriving() => Interlocked.Increment(ref _arriving);

    /// <summary>A request that called <see cref="Arriving"/> will not be queued after all.</summary>
    public void NotArriving()
    {
        lock (_gate)
        {
            Interlocked.Decrement(ref _arriving);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Submits a request that called <see cref="Arriving"/>: queues it, or runs it at once on this
    /// thread when the model is idle and <paramref name="alone"/> (its <see cref="PendingInference.Completion"/>
    /// is then already complete). False when the queue is full or the scheduler is stopping.
    /// </summary>
    /// <param name="pending">The request.</param>
    /// <param name="alone">
    /// No other request is in flight on the server. Requests read on the socket threads reach the scheduler one after
    /// another, so an idle scheduler alone does not mean an idle server: computing on a socket thread while others
    /// wait to be read there would serialise them and leave nothing to batch.
    /// </param>
    public bool TryEnqueue(PendingInference pending, bool alone = true)
    {
        lock (_gate)
        {
            var othersArriving = Interlocked.Decrement(ref _arriving) > 0;
            if (_stopping || _queue.Count >= _settings.MaxQueueLength)
            {
                Monitor.PulseAll(_gate);
                return false;
            }

            if (_queue.Count > 0 || _freeSlots == 0 || othersArriving || !alone || !LoneCallIsShort)
            {
                _queue.Add(pending);
                _metrics.QueueDepth(_queue.Count);
                Monitor.PulseAll(_gate);
                return true;
            }

            _freeSlots--;
        }

        try
        {
            pending.EnqueuedAt = _time.GetTimestamp();
            Execute([pending]);
        }
        finally
        {
            ReleaseSlot();
        }

        return true;
    }

    /// <summary>Lets the executors finish every queued request, then stops them.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        foreach (var executor in _executors)
        {
            executor.Join();
        }

        // A request running on its caller's thread still holds a slot (and the session).
        lock (_gate)
        {
            while (_freeSlots < _settings.Instances)
            {
                Monitor.Wait(_gate);
            }
        }
    }

    private void ExecutorLoop()
    {
        while (NextBatch() is { } batch)
        {
            try
            {
                Execute(batch);
            }
            catch (Exception e)
            {
                // A fault outside the session call must not take the executor (and the process) down.
                LogExecutorFault(_logger, e);
                foreach (var pending in batch)
                {
                    pending.Fail(new ModelExecutionException($"internal error: {e.Message}", isInvalidInput: false, e));
                }
            }
            finally
            {
                ReleaseSlot();
            }
        }
    }

    private void ReleaseSlot()
    {
        lock (_gate)
        {
            _freeSlots++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Blocks until a batch is due; null once stopping with nothing left.</summary>
    private List<PendingInference>? NextBatch()
    {
        Monitor.Enter(_gate);
        try
        {
            while (true)
            {
                DropCancelled();
                if (_queue.Count == 0 && _stopping)
                {
                    return null;
                }

                if (_queue.Count == 0 || _freeSlots == 0)
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                var now = _time.GetTimestamp();
                var decision = BatchPlanner.Plan(_queue, now, _policy, moreArriving: Volatile.Read(ref _arriving) > 0, flush: _stopping);
                if (decision.Selected is { } selected)
                {
                    var batch = new List<PendingInference>(selected.Count);
                    foreach (var index in selected)
                    {
                        batch.Add(_queue[index]);
                    }

                    for (var i = selected.Count - 1; i >= 0; i--)
                    {
                        _queue.RemoveAt(selected[i]);
                    }

                    _metrics.QueueDepth(_queue.Count);
                    _freeSlots--;
                    return batch;
                }

                var remaining = _time.GetElapsedTime(now, decision.WaitUntil);
                if (remaining >= SpinThreshold)
                {
                    Monitor.Wait(_gate, remaining);
                }
                else
                {
                    // Monitor waits have millisecond granularity; sub-millisecond delays yield instead.
                    Monitor.Exit(_gate);
                    try
                    {
                        Thread.Yield();
                    }
                    finally
                    {
                        Monitor.Enter(_gate);
                    }
                }
            }
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private void DropCancelled()
    {
        for (var i = _queue.Count - 1; i >= 0; i--)
        {
            var pending = _queue[i];
            if (pending.Cancellation.IsCancellationRequested)
            {
                _queue.RemoveAt(i);
                pending.Cancel();
                pending.Dispose();
                LogDropped(_logger);
            }
        }

        _metrics.QueueDepth(_queue.Count);
    }

    private void Execute(List<PendingInference> batch)
    {
        var started = _time.GetTimestamp();
        foreach (var pending in batch)
        {
            pending.QueueTime = _time.GetElapsedTime(pending.EnqueuedAt, started);
            _metrics.QueueWaited(pending.QueueTime);
        }

        // A client may have gone away while the batch formed: drop it before compute.
        var live = new List<PendingInference>(batch.Count);
        foreach (var pending in batch)
        {
            if (pending.Cancellation.IsCancellationRequested)
            {
                pending.Cancel();
                pending.Dispose();
            }
            else
            {
                live.Add(pending);
            }
        }

        try
        {
            if (live.Count == 1)
            {
                RunAlone(live[0]);
            }
            else if (live.Count > 1)
            {
                RunBatch(live);
            }
        }
        finally
        {
            foreach (var pending in live)
            {
                pending.Dispose();
            }
        }
    }

    private void RunAlone(PendingInference pending)
    {
        var started = _time.GetTimestamp();
        try
        {
            var outputs = _runner.Run(pending.Inputs, pending.OutputIndices);
            var ended = _time.GetTimestamp();
            Volatile.Write(ref _loneCompute, ended - started);
            var compute = _time.GetElapsedTime(started, ended);
            var rows = pending.Rows < 0 ? RowsOf(pending.Inputs) : pending.Rows;
            _metrics.BatchExecuted(rows, compute);
            pending.ComputeTime = compute;
            pending.BatchRows = rows;
            pending.Succeed(outputs);
        }
        catch (ModelExecutionException e)
        {
            LogRunFailed(_logger, e.Message);
            pending.Fail(e);
        }
    }

    private void RunBatch(List<PendingInference> batch)
    {
        var union = batch.SelectMany(p => p.OutputIndices).Distinct().Order().ToArray();
        var rows = batch.Select(p => p.Rows).ToArray();
        var totalRows = rows.Sum();
        var inputs = BatchAssembler.Concatenate(batch);
        IReadOnlyList<Tensor>? outputs = null;
        var started = _time.GetTimestamp();
        try
        {
            outputs = _runner.Run(inputs, union);
            var compute = _time.GetElapsedTime(started);
            var parts = outputs.Select(o => BatchAssembler.Split(o, rows)).ToArray();
            _metrics.BatchExecuted(totalRows, compute);
            for (var i = 0; i < batch.Count; i++)
            {
                var pending = batch[i];
                var mine = new Tensor[pending.OutputIndices.Length];
                for (var k = 0; k < mine.Length; k++)
                {
                    var slot = Array.IndexOf(union, pending.OutputIndices[k]);
                    mine[k] = parts[slot][i];
                    parts[slot][i] = null!;
                }

                pending.ComputeTime = compute;
                pending.BatchRows = totalRows;
                pending.Succeed(mine);
            }

            // Outputs some requests did not ask for.
            foreach (var part in parts.SelectMany(p => p))
            {
                part?.Dispose();
            }
        }
        catch (Exception e) when (e is ModelExecutionException or InvalidOperationException)
        {
            // One request the model rejects, or a model whose outputs do not follow the batch,
            // must not fail its neighbours: run each on its own.
            LogBatchFallback(_logger, batch.Count, e.Message);
            foreach (var pending in batch)
            {
                RunAlone(pending);
            }
        }
        finally
        {
            foreach (var tensor in inputs)
            {
                tensor.Dispose();
            }

            if (outputs is not null)
            {
                foreach (var output in outputs)
                {
                    output.Dispose();
                }
            }
        }
    }

    private static long RowsOf(IReadOnlyList<Tensor> inputs) => inputs.Count > 0 ? inputs[0].Rows : 1;
}
