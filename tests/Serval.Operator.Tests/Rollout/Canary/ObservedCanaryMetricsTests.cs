using Microsoft.Extensions.Time.Testing;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Cache;
using Serval.Operator.Rollout.Canary;
using Serval.Operator.Status;

namespace Serval.Operator.Tests.Rollout.Canary;

public sealed class ObservedCanaryMetricsTests
{
    private static readonly ObjectKey Key = new("default", "mlp");

    private sealed class Observations(MetricsStatus? figures) : IRevisionObservations
    {
        public MetricsStatus? Metrics(ObjectKey service) => null;

        public AutoscalingStatus? Autoscaling(ObjectKey service) => null;

        public MetricsStatus? RevisionMetrics(ObjectKey service, string revision) => revision == "bbbb" ? figures : null;
    }

    [Test]
    public void Window_EstimatesRequestsFromTheRateOverTheWindow()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero));
        var since = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(60));
        var figures = new MetricsStatus { RequestsPerSecond = 32, ErrorRatePercent = 2.5, LatencyP95Milliseconds = 412, ObservedAt = clock.GetUtcNow().UtcDateTime };

        var window = new ObservedCanaryMetrics(new Observations(figures), clock).Window(Key, "bbbb", since);

        Assert.That(window, Is.EqualTo(new RevisionWindow(1_920, 48, 412, TimeSpan.FromSeconds(60))));
    }

    [Test]
    public void Window_FiguresFromBeforeTheWindow_AreNotUsed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero));
        var figures = new MetricsStatus { RequestsPerSecond = 32, ObservedAt = clock.GetUtcNow().UtcDateTime };
        var since = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(60));

        Assert.That(new ObservedCanaryMetrics(new Observations(figures), clock).Window(Key, "bbbb", since), Is.Null);
        Assert.That(new ObservedCanaryMetrics(new Observations(null), clock).Window(Key, "bbbb", since), Is.Null);
    }
}
