using ScottPlot;

namespace Serval.Bench.Worker;

/// <summary>The MiniLM batching curve as a PNG: throughput (left axis) and p95 latency (right axis) over max batch size.</summary>
internal static class BatchingPlot
{
    public static void Write(string path, double[] maxBatch, double[] requestsPerSecond, double[] p95Milliseconds)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var plot = new Plot();
        var xs = maxBatch.Select(Math.Log2).ToArray();
        var throughput = plot.Add.Scatter(xs, requestsPerSecond);
        throughput.LegendText = "throughput (req/s)";
        throughput.MarkerSize = 8;
        var latency = plot.Add.Scatter(xs, p95Milliseconds);
        latency.LegendText = "p95 latency (ms)";
        latency.MarkerSize = 8;
        latency.LinePattern = LinePattern.Dashed;
        latency.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Bottom.SetTicks(xs, maxBatch.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Bottom.Label.Text = "--max-batch-size";
        plot.Axes.Left.Label.Text = "requests per second";
        plot.Axes.Right.Label.Text = "p95 latency (ms)";
        plot.Title("serval-worker, MiniLM seq 32, concurrency 32");
        plot.Axes.SetLimitsY(0, requestsPerSecond.Max() * 1.15, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, p95Milliseconds.Max() * 1.15, plot.Axes.Right);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 800, 480);
    }
}
