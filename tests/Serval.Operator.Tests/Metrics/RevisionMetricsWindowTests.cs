using Serval.Operator.Metrics;

namespace Serval.Operator.Tests.Metrics;

public sealed class RevisionMetricsWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly double[] Bounds = [0.01, 0.1, 1, double.PositiveInfinity];

    private static WorkerSnapshot Snap(double seconds, double succeeded, double failed = 0, double[]? counts = null, double inFlight = 0, double queue = 0, double busy = 0) =>
        new(T0.AddSeconds(seconds), succeeded, failed, 0, Bounds, counts ?? [0, 0, 0, succeeded], 0, busy, inFlight, queue);

    [Test]
    public void Figures_SumRatesOverPods()
    {
        var w = new RevisionMetricsWindow(TimeSpan.FromSeconds(120));
        w.Record("a", Snap(0, 100));
        w.Record("a", Snap(10, 200));
        w.Record("b", Snap(0, 0));
        w.Record("b", Snap(10, 50));

        var f = w.Figures(T0.AddSeconds(10), TimeSpan.FromSeconds(10))!;

        Assert.That(f.RequestsPerSecond, Is.EqualTo(15).Within(1e-9));
        Assert.That(f.Pods, Is.EqualTo(2));
    }

    [Test]
    public void Figures_APodRestartCountsTheNewValueAsTheIncrease()
    {
        var w = new RevisionMetricsWindow(TimeSpan.FromSeconds(120));
        w.Record("a", Snap(0, 100));
        w.Record("a", Snap(2, 120));
        w.Record("a", Snap(4, 5));
        w.Record("a", Snap(6, 15));

        var f = w.Figures(T0.AddSeconds(6), TimeSpan.FromSeconds(6))!;

        Assert.That(f.RequestsPerSecond, Is.EqualTo(35.0 / 6).Within(1e-9));
    }

    [Test]
    public void Figures_LatencyQuantilesComeFromBucketDeltas()
    {
        var w = new RevisionMetricsWindow(TimeSpan.FromSeconds(120));
        // Before the window: 1000 fast requests; inside it: 100 requests, 90 under 100 ms and 10 under 1 s.
        w.Record("a", Snap(0, 1000, counts: [1000, 1000, 1000, 1000]));
        w.Record("a", Snap(10, 1100, counts: [1000, 1090, 1100, 1100]));

        var f = w.Figures(T0.AddSeconds(10), TimeSpan.FromSeconds(10))!;

        Assert.That(f.LatencyP50Milliseconds, Is.EqualTo(10 + (90 * 50.0 / 90)).Within(1e-6));
        Assert.That(f.LatencyP95Milliseconds, Is.EqualTo(100 + (900 * 5.0 / 10)).Within(1e-6));
    }

    [Test]
    public void Figures_ConcurrencyIsTheTimeAverageSummedOverPods()
    {
        var w = new RevisionMetricsWindow(TimeSpan.FromSeconds(120));
        w.Record("a", Snap(0, 0, inFlight: 100));
        w.Record("a", Snap(2, 0, inFlight: 2));
        w.Record("a", Snap(4, 0, inFlight: 4));
        w.Record("b", Snap(2, 0, inFlight: 1));
        w.Record("b", Snap(4, 0, inFlight: 1));

        var f = w.Figures(T0.AddSeconds(4), TimeSpan.FromSeconds(4))!;

        Assert.That(f.Concurrency, Is.EqualTo(3 + 1).Within(1e-9));
    }

    [Test]
    public void Figures_ErrorRateCapacityAndQueueGrowth()
    {
        var w = new RevisionMetricsWindow(TimeSpan.FromSeconds(120));
        w.Record("a", Snap(0, 0, failed: 0, busy: 0, queue: 0));
        w.Record("a", Snap(10, 90, failed: 10, busy: 3, queue: 20));

        var f = w.Figures(T0.AddSeconds(10), TimeSpan.FromSeconds(10))!;

        Assert.That(f.ErrorRatePercent, Is.EqualTo(10).Within(1e-9));
        Assert.That(f.CapacityPerReplica, Is.EqualTo(30).Within(1e-9));
        Assert.That(f.QueueGrowthPerSecond, Is.EqualTo(2).Within(1e-9));
        Assert.That(f.QueueDepth, Is.EqualTo(20).Within(1e-9));
    }

    [Test]
    public void Figures_APodSilentInTheWindowIsLeftOut()
    {
        var w = new RevisionMetricsWindow(TimeSpan.FromSeconds(120));
        w.Record("a", Snap(0, 0));
        w.Record("a", Snap(10, 100));
        w.Record("b", Snap(0, 0));
        w.Record("b", Snap(2, 1000));

        var f = w.Figures(T0.AddSeconds(10), TimeSpan.FromSeconds(6))!;

        Assert.That((f.Pods, f.RequestsPerSecond), Is.EqualTo((1, 10.0)));
    }

    [Test]
    public void Figures_NullWithoutTwoScrapes()
    {
        var w = new RevisionMetricsWindow(TimeSpan.FromSeconds(120));
        w.Record("a", Snap(0, 0));

        Assert.That(w.Figures(T0, TimeSpan.FromSeconds(6)), Is.Null);
    }

    [Test]
    public void Record_DropsScrapesOlderThanRetentionButKeepsTheBase()
    {
        var w = new RevisionMetricsWindow(TimeSpan.FromSeconds(10));
        for (var s = 0; s <= 100; s += 2)
        {
            w.Record("a", Snap(s, s));
        }

        var f = w.Figures(T0.AddSeconds(100), TimeSpan.FromSeconds(10))!;

        Assert.That(f.RequestsPerSecond, Is.EqualTo(1).Within(1e-9));
        Assert.That(w.Figures(T0.AddSeconds(100), TimeSpan.FromSeconds(60))!.RequestsPerSecond, Is.EqualTo(1).Within(1e-9));
    }

    [Test]
    public void WorkerSnapshot_ReadsTheWorkerSeries()
    {
        var scrape = PrometheusTextParser.Parse("""
            serval_inference_requests_total{model="m",outcome="success"} 90
            serval_inference_requests_total{model="m",outcome="server_error"} 4
            serval_inference_requests_total{model="m",outcome="rejected"} 6
            serval_inference_request_duration_seconds_bucket{model="m",le="0.01"} 80
            serval_inference_request_duration_seconds_bucket{model="m",le="+Inf"} 90
            serval_inference_request_duration_seconds_sum{model="m"} 0.7
            serval_inference_compute_duration_seconds_sum{model="m"} 0.5
            serval_inference_in_flight_requests{model="m"} 3
            serval_inference_queue_depth{model="m"} 1
            """);

        var s = WorkerSnapshot.From(scrape, T0);

        Assert.That((s.Succeeded, s.Failed, s.Other, s.Requests), Is.EqualTo((90.0, 4.0, 6.0, 100.0)));
        Assert.That(s.LatencyBuckets, Is.EqualTo(new[] { 0.01, double.PositiveInfinity }));
        Assert.That(s.LatencyCounts, Is.EqualTo(new[] { 80.0, 90.0 }));
        Assert.That((s.LatencySumSeconds, s.BusySeconds, s.InFlight, s.QueueDepth), Is.EqualTo((0.7, 0.5, 3.0, 1.0)));
    }
}
