using ScottPlot;

namespace Serval.Bench.Autoscale;

/// <summary>One PNG per trace: replicas over time (with the oracle's need) above p95 latency over time.</summary>
internal static class Charts
{
    public static void Save(string path, Trace trace, IReadOnlyList<SimResult> results, double sloSeconds)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var replicas = multiplot.GetPlot(0);
        var latency = multiplot.GetPlot(1);
        var xs = Enumerable.Range(0, trace.Seconds).Select(s => (double)s).ToArray();
        foreach (var r in results)
        {
            var line = replicas.Add.Scatter(xs, r.Replicas.Select(v => (double)v).ToArray());
            line.LegendText = r.Policy;
            line.MarkerSize = 0;
            var capped = r.P95Seconds.Select(v => double.IsNaN(v) ? 0 : Math.Min(1000, v * 1000)).ToArray();
            var p95 = latency.Add.Scatter(xs, capped);
            p95.LegendText = r.Policy;
            p95.MarkerSize = 0;
        }

        replicas.Title($"{trace.Name}: replicas (ready + starting)");
        replicas.YLabel("replicas");
        replicas.ShowLegend();
        latency.Title($"{trace.Name}: p95 latency per second (capped at 1000 ms)");
        latency.YLabel("ms");
        latency.XLabel("seconds");
        latency.Add.HorizontalLine(sloSeconds * 1000).LegendText = "SLO";
        latency.ShowLegend();
        multiplot.SavePng(path, 1400, 1000);
    }
}
