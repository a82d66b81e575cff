using k8s.Models;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Monitoring;
using Serval.LocalCluster;
using Serval.LocalCluster.Faults;
using static Serval.Controllers.Tests.Integration.ServerFixture;

namespace Serval.Controllers.Tests.Integration;

/// <summary>The informer against the embedded API server.</summary>
public sealed class InformerServerTests
{
    private EmbeddedApiServer? _server;
    private KubernetesApi? _api;
    private CancellationTokenSource _stop = null!;
    private Task? _run;
    private ControllerMetrics _metrics = null!;

    [SetUp]
    public void SetUp()
    {
        _stop = new CancellationTokenSource();
        _metrics = new ControllerMetrics(Prometheus.Metrics.NewCustomRegistry());
    }

    [TearDown]
    public async Task TearDown()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.WaitAsync(ServerTimeout);
        }

        _api?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task<KubernetesApi> Serve(int watchWindow = 1000, TimeSpan? bookmarkInterval = null)
    {
        _server = await StartAsync(watchWindow, bookmarkInterval);
        _api = Api(_server);
        return _api;
    }

    private Informer<V1ConfigMap> Start(InformerOptions options, RecordingHandler<V1ConfigMap>? handler = null)
    {
        var informer = new Informer<V1ConfigMap>(_api!, options, metrics: _metrics, random: new Random(5));
        if (handler is not null)
        {
            informer.AddHandler(handler);
        }

        _run = informer.RunAsync(_stop.Token);
        return informer;
    }

    // The first watch may still be on its way when the test cuts; cut until the informer notices.
    private async Task CutUntilRestartedAsync()
    {
        var deadline = DateTime.UtcNow + ServerTimeout;
        while (Restarts("closed") + Restarts("error") < 1)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The informer never noticed its watch being cut.");
            }

            _server!.Faults.CutWatches();
            await Task.Delay(100);
        }
    }

    private double Restarts(string reason) => _metrics.WatchRestarts.WithLabels("ConfigMap", reason).Value;

    [Test]
    public async Task PagedListThenWatch_FollowsCreatesUpdatesAndDeletes()
    {
        var api = await Serve();
        for (var i = 0; i < 5; i++)
        {
            await api.CreateAsync(ConfigMap($"cm-{i}"), CancellationToken.None);
        }

        var informer = Start(new InformerOptions { Namespace = "default", PageSize = 2 });
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(ServerTimeout);
        Assert.That(informer.Count, Is.EqualTo(5));
        Assert.That(_server!.Requests.Count(r => r.Verb == "list" && r.Resource == "configmaps"), Is.EqualTo(3), "5 objects in pages of 2");

        await api.CreateAsync(ConfigMap("late"), CancellationToken.None);
        await api.ApplyAsync(ConfigMap("cm-0", "changed"), CancellationToken.None);
        await api.DeleteAsync<V1ConfigMap>("default", "cm-1", CancellationToken.None);

        await Eventually(
            () => informer.Get("default", "late") is not null
                && informer.Get("default", "cm-0")?.Data["value"] == "changed"
                && informer.Get("default", "cm-1") is null,
            "the cache follows the changes");
    }

    [Test]
    public async Task Bookmarks_MoveTheResumePoint_AndAReconnectResumesFromThem()
    {
        var api = await Serve(bookmarkInterval: TimeSpan.FromMilliseconds(200));
        var informer = Start(new InformerOptions { Namespace = "default" });
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(ServerTimeout);
        var listedAt = informer.ResourceVersion;

        // Changes to another kind move the server's clock; only a bookmark tells the informer.
        for (var i = 0; i < 3; i++)
        {
            await api.CreateAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = $"s-{i}", NamespaceProperty = "default" } }, CancellationToken.None);
        }

        var latest = _server!.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Eventually(() => informer.ResourceVersion == latest, "a bookmark carries the latest resourceVersion");
        var lists = _server.Requests.Count(r => r.Verb == "list" && r.Resource == "configmaps");

        await CutUntilRestartedAsync();
        await api.CreateAsync(ConfigMap("after-cut"), CancellationToken.None);

        await Eventually(() => informer.Get("default", "after-cut") is not null, "the resumed watch delivers");
        Assert.That(listedAt, Is.Not.EqualTo(latest));
        Assert.That(_server.Requests.Count(r => r.Verb == "list" && r.Resource == "configmaps"), Is.EqualTo(lists), "resumed without a relist");
    }

    [Test]
    public async Task ResumePointTooOld_Relists_AndReportsVanishedObjectsAsDeletes()
    {
        var api = await Serve(watchWindow: 5);
        await api.CreateAsync(ConfigMap("doomed"), CancellationToken.None);
        await api.CreateAsync(ConfigMap("stays"), CancellationToken.None);
        var handler = new RecordingHandler<V1ConfigMap>();
        var informer = Start(new InformerOptions { Namespace = "default" }, handler);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(ServerTimeout);

        // Hold the reconnect back while more changes than the watch window happen.
        using var slowWatch = _server!.Faults.Add(new FaultRule { Verb = "watch", Resource = "configmaps", Latency = TimeSpan.FromSeconds(2) });
        await CutUntilRestartedAsync();
        await api.DeleteAsync<V1ConfigMap>("default", "doomed", CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            await api.CreateAsync(ConfigMap($"new-{i}"), CancellationToken.None);
        }

        await Eventually(() => Restarts("gone") >= 1, "the stale watch is refused with 410");
        await Eventually(() => informer.Get("default", "doomed") is null && informer.Count == 11, "the relist catches up");
        Assert.That(handler.Calls, Does.Contain("delete doomed"));
    }

    [Test]
    public async Task SilentWatch_IsReopenedByTheWatchdog()
    {
        var api = await Serve(bookmarkInterval: TimeSpan.FromMinutes(10));
        var informer = Start(new InformerOptions { Namespace = "default", SilenceTimeout = TimeSpan.FromMilliseconds(500) });
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(ServerTimeout);

        await Eventually(() => Restarts("watchdog") >= 1, "the watchdog drops the quiet watch");
        await api.CreateAsync(ConfigMap("after-watchdog"), CancellationToken.None);

        await Eventually(() => informer.Get("default", "after-watchdog") is not null, "the reopened watch delivers");
    }
}
