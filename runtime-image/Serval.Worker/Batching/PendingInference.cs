using Serval.Worker.Protocol;
using Serval.Worker.Tensors;

namespace Serval.Worker.Batching;

/// <summary>
/// A validated request waiting for, or going through, a session call. It owns the request's
/// inputs; the result's tensors belong to whoever receives them, or are returned to the pool
/// when the caller has given up on them.
/// </summary>
internal sealed class PendingInference : IDisposable
{
    private const int Waiting = 0;
    private const int Completed = 1;
    private const int Abandoned = 2;

    private readonly InferRequest _request;
    private readonly TaskCompletionSource<IReadOnlyList<Tensor>> _completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _state;

    public PendingInference(InferRequest request, ValidatedRequest validated, long enqueuedAt, CancellationToken cancellation)
    {
        _request = request;
        Inputs = validated.Inputs;
        OutputIndices = validated.OutputIndices;
        Rows = validated.Rows;
        EnqueuedAt = enqueuedAt;
        Cancellation = cancellation;
    }

    /// <summary>Inputs in signature order.</summary>
    public IReadOnlyList<Tensor> Inputs { get; }

    /// <summary>Outputs to return, in the order the caller wants them.</summary>
    public int[] OutputIndices { get; }

    /// <summary>Rows along dimension 0, or -1 when it runs on its own.</summary>
    public long Rows { get; }

    /// <summary>Timestamp (of the scheduler's <see cref="TimeProvider"/>) when it was queued.</summary>
    public long EnqueuedAt { get; set; }

    /// <summary>Fires when the client has gone away or the request has timed out.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Time spent queued, set when its batch starts.</summary>
    public TimeSpan QueueTime { get; set; }

    /// <summary>Duration of the session call that computed it.</summary>
    public TimeSpan ComputeTime { get; set; }

    /// <summary>Rows of the batch it ran in.</summary>
    public long BatchRows { get; set; }

    public Task<IReadOnlyList<Tensor>> Completion => _completion.Task;

    public void Succeed(IReadOnlyList<Tensor> outputs)
    {
        if (Interlocked.CompareExchange(ref _state, Completed, Waiting) == Waiting)
        {
            _completion.SetResult(outputs);
        }
        else
        {
            DisposeAll(outputs);
        }
    }

    public void Fail(Exception error)
    {
        if (Interlocked.CompareExchange(ref _state, Completed, Waiting) == Waiting)
        {
            _completion.SetException(error);
        }
    }

    public void Cancel()
    {
        if (Interlocked.CompareExchange(ref _state, Completed, Waiting) == Waiting)
        {
            _completion.SetCanceled(Cancellation);
        }
    }

    /// <summary>The caller stopped waiting: a result that arrives later goes straight back to the pool.</summary>
    public void Abandon()
    {
        if (Interlocked.CompareExchange(ref _state, Abandoned, Waiting) == Completed && _completion.Task.IsCompletedSuccessfully)
        {
            DisposeAll(_completion.Task.Result);
        }
    }

    /// <summary>Returns the inputs to the pool; called once the session no longer needs them.</summary>
    public void Dispose() => _request.Dispose();

    private static void DisposeAll(IReadOnlyList<Tensor> tensors)
    {
        foreach (var tensor in tensors)
        {
            tensor.Dispose();
        }
    }
}
