using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Serval.Worker.Batching;
using Serval.Worker.Inference;
using Serval.Worker.Observability;
using Serval.Worker.Protocol;
using Serval.Worker.Tensors;

namespace Serval.Worker.Tests.Batching;

public sealed class InferenceSchedulerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Echoes its input; the first call can be held until the test lets it go.</summary>
    private sealed class EchoRunner(bool dynamicBatch) : IModelRunner
    {
        public ManualResetEventSlim FirstCallEntered { get; } = new();

        public ManualResetEventSlim ReleaseFirstCall { get; } = new(initialState: true);

        public ConcurrentQueue<long> BatchRows { get; } = new();

        public ModelSignature Signature { get; } = new(
            [new TensorSpec("x", TensorDatatype.Fp32, [dynamicBatch ? -1 : 1, 2])],
            [new TensorSpec("y", TensorDatatype.Fp32, [dynamicBatch ? -1 : 1, 2])]);

        public float RejectedValue { get; init; } = float.NaN;

        /// <summary>How long every call takes.</summary>
        public TimeSpan CallTime { get; init; }

        /// <summary>The managed thread of the latest call.</summary>
        public int LastThread { get; private set; }

        public IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs, IReadOnlyList<int> outputIndices)
        {
            LastThread = Environment.CurrentManagedThreadId;
            if (CallTime > TimeSpan.Zero)
            {
                Thread.Sleep(CallTime);
            }

            if (!FirstCallEntered.IsSet)
            {
                FirstCallEntered.Set();
                ReleaseFirstCall.Wait(Timeout);
            }

            var input = inputs[0];
            if (MemoryMarshal.Cast<byte, float>(input.Data.Bytes).Contains(RejectedValue))
            {
                throw new ModelExecutionException("the model rejects the value", isInvalidInput: true);
            }

            BatchRows.Enqueue(input.Shape[0]);
            var output = TensorBuffer.Numeric(input.Data.ByteLength);
            input.Data.Bytes.CopyTo(output.Bytes);
            return [new Tensor("y", TensorDatatype.Fp32, (long[])input.Shape.Clone(), output)];
        }
    }

    private static InferenceScheduler Scheduler(IModelRunner runner, int maxQueueLength = 100, int maxBatch = 16) =>
        new(runner, new SchedulerSettings(maxBatch, TimeSpan.FromMilliseconds(5), maxQueueLength, Instances: 1),
            new WorkerMetrics(Metrics.NewCustomRegistry(), "m", "1"), TimeProvider.System, NullLogger.Instance);

    private static PendingInference Pending(IModelRunner runner, float value, CancellationToken cancellation = default)
    {
        var buffer = TensorBuffer.Numeric(8);
        MemoryMarshal.Cast<byte, float>(buffer.Bytes).Fill(value);
        var tensor = new Tensor("x", TensorDatatype.Fp32, [1, 2], buffer);
        var request = new InferRequest(null, [tensor], null, false);
        var validated = RequestValidator.Validate(request, runner.Signature);
        return new PendingInference(request, validated, TimeProvider.System.GetTimestamp(), cancellation);
    }

    private static bool Enqueue(InferenceScheduler scheduler, PendingInference pending)
    {
        scheduler.Arriving();
        return scheduler.TryEnqueue(pending);
    }

    private static float[] Values(IReadOnlyList<Tensor> outputs) => MemoryMarshal.Cast<byte, float>(outputs[0].Data.Bytes).ToArray();

    [Test]
    public async Task QueuedRequests_AreBatchedAndEachGetsItsOwnRows()
    {
        var runner = new EchoRunner(dynamicBatch: true);
        runner.ReleaseFirstCall.Reset();
        using var scheduler = Scheduler(runner);
        var pending = new List<PendingInference> { Pending(runner, 0) };
        var submitting = Task.Run(() => Enqueue(scheduler, pending[0]));
        Assert.That(runner.FirstCallEntered.Wait(Timeout), Is.True);
        for (var i = 1; i < 40; i++)
        {
            pending.Add(Pending(runner, i));
            Enqueue(scheduler, pending[i]);
        }

        runner.ReleaseFirstCall.Set();
        await submitting.WaitAsync(Timeout);
        var results = await Task.WhenAll(pending.Select(p => p.Completion)).WaitAsync(Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => Values(r)[0]), Is.EqualTo(Enumerable.Range(0, 40).Select(i => (float)i)));
            Assert.That(runner.BatchRows, Is.EqualTo(new long[] { 1, 16, 16, 7 }));
        });
    }

    [Test]
    public async Task IdleModel_RunsTheRequestOnTheCallersThread_OnceALoneCallWasMeasuredShort()
    {
        var runner = new EchoRunner(dynamicBatch: true);
        using var scheduler = Scheduler(runner);
        var first = Pending(runner, 4);
        var pending = Pending(runner, 5);

        // Nothing measured yet: the first goes to an executor, which times it.
        Assert.That(scheduler.LoneCallIsShort, Is.False);
        Enqueue(scheduler, first);
        await first.Completion.WaitAsync(Timeout);
        var accepted = Enqueue(scheduler, pending);

        Assert.That((accepted, pending.Completion.IsCompletedSuccessfully, scheduler.QueueLength, runner.LastThread == Environment.CurrentManagedThreadId), Is.EqualTo((true, true, 0, true)));
    }

    [Test]
    public async Task IdleModel_WithSlowCalls_RunsOnAnExecutor_NeverOnTheCallersThread()
    {
        // The caller's thread may be the socket thread: a call longer than the inline limit must not hold it.
        var runner = new EchoRunner(dynamicBatch: true) { CallTime = InferenceScheduler.InlineComputeLimit * 20 };
        using var scheduler = Scheduler(runner);
        var first = Pending(runner, 4);
        Enqueue(scheduler, first);
        await first.Completion.WaitAsync(Timeout);
        var pending = Pending(runner, 5);

        var accepted = Enqueue(scheduler, pending);
        await pending.Completion.WaitAsync(Timeout);

        Assert.That((accepted, scheduler.LoneCallIsShort, runner.LastThread == Environment.CurrentManagedThreadId), Is.EqualTo((true, false, false)));
    }

    [Test]
    public async Task IdleModel_WithOtherRequestsInFlightOnTheServer_RunsOnAnExecutor()
    {
        var runner = new EchoRunner(dynamicBatch: true);
        using var scheduler = Scheduler(runner);
        var first = Pending(runner, 4);
        Enqueue(scheduler, first);
        await first.Completion.WaitAsync(Timeout);
        var pending = Pending(runner, 5);

        scheduler.Arriving();
        var accepted = scheduler.TryEnqueue(pending, alone: false);
        var caller = Environment.CurrentManagedThreadId;
        var outputs = await pending.Completion.WaitAsync(Timeout);

        Assert.That((accepted, scheduler.LoneCallIsShort, runner.LastThread == caller, Values(outputs)[0]), Is.EqualTo((true, true, false, 5f)));
    }

    [Test]
    public async Task ModelWithFixedBatch_RunsRequestByRequest()
    {
        var runner = new EchoRunner(dynamicBatch: false);
        runner.ReleaseFirstCall.Reset();
        using var scheduler = Scheduler(runner);
        var pending = Enumerable.Range(0, 4).Select(i => Pending(runner, i)).ToList();
        var submitting = Task.Run(() => Enqueue(scheduler, pending[0]));
        Assert.That(runner.FirstCallEntered.Wait(Timeout), Is.True);
        foreach (var p in pending.Skip(1))
        {
            Enqueue(scheduler, p);
        }

        runner.ReleaseFirstCall.Set();
        await submitting.WaitAsync(Timeout);
        await Task.WhenAll(pending.Select(p => p.Completion)).WaitAsync(Timeout);

        Assert.That(runner.BatchRows, Is.EqualTo(new long[] { 1, 1, 1, 1 }));
    }

    [Test]
    public async Task FullQueue_RefusesThenRecovers()
    {
        var runner = new EchoRunner(dynamicBatch: true);
        runner.ReleaseFirstCall.Reset();
        using var scheduler = Scheduler(runner, maxQueueLength: 2);
        var running = Pending(runner, 0);
        var submitting = Task.Run(() => Enqueue(scheduler, running));
        Assert.That(runner.FirstCallEntered.Wait(Timeout), Is.True);
        var queued = new[] { Pending(runner, 1), Pending(runner, 2) };
        var accepted = queued.Select(p => Enqueue(scheduler, p)).ToArray();
        using var overflow = Pending(runner, 3);

        var refused = !Enqueue(scheduler, overflow);
        runner.ReleaseFirstCall.Set();
        await submitting.WaitAsync(Timeout);
        await Task.WhenAll(queued.Select(p => p.Completion).Append(running.Completion)).WaitAsync(Timeout);
        var later = Pending(runner, 4);
        var acceptedLater = Enqueue(scheduler, later);
        var laterResult = await later.Completion.WaitAsync(Timeout);

        Assert.That((accepted, refused, acceptedLater, Values(laterResult)[0]), Is.EqualTo((new[] { true, true }, true, true, 4f)));
    }

    [Test]
    public async Task RequestWhoseClientWentAway_IsDroppedBeforeCompute()
    {
        var runner = new EchoRunner(dynamicBatch: true);
        runner.ReleaseFirstCall.Reset();
        using var scheduler = Scheduler(runner);
        var first = Pending(runner, 0);
        var submitting = Task.Run(() => Enqueue(scheduler, first));
        Assert.That(runner.FirstCallEntered.Wait(Timeout), Is.True);
        using var gone = new CancellationTokenSource();
        var abandoned = Pending(runner, 1, gone.Token);
        var kept = Pending(runner, 2);
        Enqueue(scheduler, abandoned);
        Enqueue(scheduler, kept);

        await gone.CancelAsync();
        runner.ReleaseFirstCall.Set();
        await submitting.WaitAsync(Timeout);
        await Task.WhenAll(first.Completion, kept.Completion).WaitAsync(Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(abandoned.Completion.IsCanceled, Is.True);
            Assert.That(runner.BatchRows.Sum(), Is.EqualTo(2), "only the two live requests reached the model");
        });
    }

    [Test]
    public async Task RequestTheModelRejects_DoesNotFailItsBatchNeighbours()
    {
        var runner = new EchoRunner(dynamicBatch: true) { RejectedValue = 13 };
        runner.ReleaseFirstCall.Reset();
        using var scheduler = Scheduler(runner);
        var first = Pending(runner, 0);
        var submitting = Task.Run(() => Enqueue(scheduler, first));
        Assert.That(runner.FirstCallEntered.Wait(Timeout), Is.True);
        var good = Pending(runner, 12);
        var bad = Pending(runner, 13);
        Enqueue(scheduler, good);
        Enqueue(scheduler, bad);

        runner.ReleaseFirstCall.Set();
        await submitting.WaitAsync(Timeout);
        var goodResult = await good.Completion.WaitAsync(Timeout);
        var error = await Assert.ThrowsAsync<ModelExecutionException>(() => bad.Completion.WaitAsync(Timeout));

        Assert.That((Values(goodResult)[0], error!.IsInvalidInput), Is.EqualTo((12f, true)));
    }

    [Test]
    public async Task Dispose_FinishesEveryQueuedRequest()
    {
        var runner = new EchoRunner(dynamicBatch: true);
        runner.ReleaseFirstCall.Reset();
        var scheduler = Scheduler(runner, maxBatch: 1);
        var pending = Enumerable.Range(0, 5).Select(i => Pending(runner, i)).ToList();
        var submitting = Task.Run(() => Enqueue(scheduler, pending[0]));
        Assert.That(runner.FirstCallEntered.Wait(Timeout), Is.True);
        foreach (var p in pending.Skip(1))
        {
            Enqueue(scheduler, p);
        }

        var disposing = Task.Run(scheduler.Dispose);
        runner.ReleaseFirstCall.Set();
        await submitting.WaitAsync(Timeout);
        await disposing.WaitAsync(Timeout);

        Assert.That(pending.Select(p => p.Completion.IsCompletedSuccessfully), Is.All.True);
    }
}
