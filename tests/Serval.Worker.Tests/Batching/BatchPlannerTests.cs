using Serval.Worker.Batching;
using Serval.Worker.Protocol;
using Serval.Worker.Tensors;

namespace Serval.Worker.Tests.Batching;

public sealed class BatchPlannerTests
{
    private static readonly BatchPolicy Policy = new(MaxBatchRows: 8, MaxDelayTicks: 100);

    private static PendingInference Pending(long rows, long enqueuedAt = 0, int features = 4)
    {
        var shape = new[] { Math.Max(rows, 1), features };
        var tensor = new Tensor("x", TensorDatatype.Fp32, shape, TensorBuffer.Numeric((int)(shape[0] * features * 4)));
        var request = new InferRequest(null, [tensor], null, false);
        return new PendingInference(request, new ValidatedRequest([tensor], [0], [false], rows), enqueuedAt, CancellationToken.None);
    }

    [Test]
    public void Plan_QueueFillsTheBatch_RunsAtOnce()
    {
        var queue = new[] { Pending(4), Pending(4), Pending(4) };

        var decision = BatchPlanner.Plan(queue, now: 0, Policy, moreArriving: true, flush: false);

        Assert.That(decision.Selected, Is.EqualTo(new[] { 0, 1 }));
    }

    [Test]
    public void Plan_BatchNotFullAndMoreArriving_WaitsUntilTheLeaderDeadline()
    {
        var queue = new[] { Pending(2, enqueuedAt: 10), Pending(2, enqueuedAt: 20) };

        var decision = BatchPlanner.Plan(queue, now: 50, Policy, moreArriving: true, flush: false);

        Assert.That((decision.Dispatch, decision.WaitUntil), Is.EqualTo((false, 110L)));
    }

    [Test]
    public void Plan_LeaderWaitedTheMaximumDelay_RunsWhatIsThere()
    {
        var queue = new[] { Pending(2, enqueuedAt: 10), Pending(2, enqueuedAt: 20) };

        var decision = BatchPlanner.Plan(queue, now: 110, Policy, moreArriving: true, flush: false);

        Assert.That(decision.Selected, Is.EqualTo(new[] { 0, 1 }));
    }

    [Test]
    public void Plan_NothingMoreArriving_RunsWithoutWaiting()
    {
        var queue = new[] { Pending(1, enqueuedAt: 10) };

        var decision = BatchPlanner.Plan(queue, now: 11, Policy, moreArriving: false, flush: false);

        Assert.That(decision.Selected, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void Plan_Flushing_RunsWithoutWaiting()
    {
        var queue = new[] { Pending(1, enqueuedAt: 10) };

        var decision = BatchPlanner.Plan(queue, now: 11, Policy, moreArriving: true, flush: true);

        Assert.That(decision.Selected, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void Plan_RequestThatWouldOverflow_IsSkippedForASmallerOne()
    {
        var queue = new[] { Pending(5), Pending(4), Pending(3) };

        var decision = BatchPlanner.Plan(queue, now: 0, Policy, moreArriving: false, flush: false);

        Assert.That(decision.Selected, Is.EqualTo(new[] { 0, 2 }));
    }

    [Test]
    public void Plan_IncompatibleTrailingShape_StaysForALaterBatch()
    {
        var queue = new[] { Pending(1, features: 4), Pending(1, features: 5), Pending(1, features: 4) };

        var decision = BatchPlanner.Plan(queue, now: 0, Policy, moreArriving: false, flush: false);

        Assert.That(decision.Selected, Is.EqualTo(new[] { 0, 2 }));
    }

    [Test]
    public void Plan_LeaderThatCannotBatch_RunsAlone()
    {
        var queue = new[] { Pending(-1), Pending(1) };

        var decision = BatchPlanner.Plan(queue, now: 0, Policy, moreArriving: true, flush: false);

        Assert.That(decision.Selected, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void Plan_LeaderLargerThanTheMaximum_RunsAlone()
    {
        var queue = new[] { Pending(20), Pending(1) };

        var decision = BatchPlanner.Plan(queue, now: 0, Policy, moreArriving: true, flush: false);

        Assert.That(decision.Selected, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void Plan_BatchingOff_RunsOneRequestAtATime()
    {
        var queue = new[] { Pending(1), Pending(1) };

        var decision = BatchPlanner.Plan(queue, now: 0, Policy with { MaxBatchRows = 1 }, moreArriving: true, flush: false);

        Assert.That(decision.Selected, Is.EqualTo(new[] { 0 }));
    }
}
