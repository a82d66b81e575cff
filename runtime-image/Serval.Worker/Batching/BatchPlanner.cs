using Serval.Worker.Tensors;

namespace Serval.Worker.Batching;

/// <summary>
/// Decides, from the queue alone, which requests form the next batch — the pure core of the
/// dynamic batcher. Like Triton's: the oldest request leads; later requests whose inputs agree
/// after dimension 0 join while the rows fit; the batch goes when full or when the leader has
/// waited the maximum delay. It also goes at once when no further request is being received,
/// since waiting could then only add latency.
/// </summary>
internal static class BatchPlanner
{
    public static BatchDecision Plan(IReadOnlyList<PendingInference> queue, long now, BatchPolicy policy, bool moreArriving, bool flush)
    {
        ArgumentOutOfRangeException.ThrowIfZero(queue.Count);
        var head = queue[0];
        if (head.Rows < 0 || policy.MaxBatchRows <= 1 || head.Rows >= policy.MaxBatchRows)
        {
            return BatchDecision.Run([0]);
        }

        var selected = new List<int> { 0 };
        var rows = head.Rows;
        for (var i = 1; i < queue.Count && rows < policy.MaxBatchRows; i++)
        {
            var candidate = queue[i];
            if (candidate.Rows >= 0 && rows + candidate.Rows <= policy.MaxBatchRows && Compatible(head, candidate))
            {
                selected.Add(i);
                rows += candidate.Rows;
            }
        }

        var deadline = head.EnqueuedAt + policy.MaxDelayTicks;
        return rows >= policy.MaxBatchRows || flush || !moreArriving || now >= deadline
            ? BatchDecision.Run(selected)
            : BatchDecision.Wait(deadline);
    }

    /// <summary>Whether two requests' inputs can be stacked: equal shapes after dimension 0.</summary>
    public static bool Compatible(PendingInference a, PendingInference b)
    {
        if (a.Inputs.Count != b.Inputs.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Inputs.Count; i++)
        {
            if (!TensorShape.SameTrailing(a.Inputs[i].Shape, b.Inputs[i].Shape))
            {
                return false;
            }
        }

        return true;
    }
}
