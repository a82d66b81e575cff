namespace Serval.Bench.Worker;

/// <summary>A reading of the worker's <c>serval_inference_batch_size</c> histogram: rows and session calls so far.</summary>
internal sealed record BatchStats(double Rows, double Calls)
{
    /// <summary>Mean rows per session call between an earlier reading and this one (NaN when no call was made).</summary>
    public double MeanSince(BatchStats earlier) =>
        Calls > earlier.Calls ? (Rows - earlier.Rows) / (Calls - earlier.Calls) : double.NaN;
}
