using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Monitoring;
using Serval.Controllers.Tests.Fakes;

namespace Serval.Controllers.Tests.Cache;

public sealed class InformerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private FakeKubernetesApi _api = null!;
    private FakeTimeProvider _time = null!;
    private ControllerMetrics _metrics = null!;
    private RecordingHandler _handler = null!;
    private Informer<V1ConfigMap> _informer = null!;
    private CancellationTokenSource _stop = null!;
    private Task _run = null!;

    [SetUp]
    public void SetUp()
    {
        _api = new FakeKubernetesApi();
        _time = new FakeTimeProvider();
        _metrics = new ControllerMetrics(Prometheus.Metrics.NewCustomRegistry());
        _handler = new RecordingHandler();
        _informer = new Informer<V1ConfigMap>(
            _api,
            new InformerOptions { PageSize = 2, SilenceTimeout = TimeSpan.FromSeconds(30) },
            _time,
            metrics: _metrics,
            random: new Random(7));
        _informer.AddHandler(_handler);
        _stop = new CancellationTokenSource();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.WaitAsync(Timeout);
        }

        _stop.Dispose();
    }

    private void Start() => _run = _informer.RunAsync(_stop.Token);

    private static V1ConfigMap ConfigMap(string name, string resourceVersion, string ns = "default", IDictionary<string, string>? labels = null) =>
        new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, ResourceVersion = resourceVersion, Labels = labels },
        };

    private static WatchEvent<V1ConfigMap> Event(WatchEventType type, V1ConfigMap obj) => new(type, obj);

    private static WatchEvent<V1ConfigMap> Bookmark(string resourceVersion) =>
        new(WatchEventType.Bookmark, new V1ConfigMap { Metadata = new V1ObjectMeta { ResourceVersion = resourceVersion } });

    private static WatchEvent<V1ConfigMap> Gone() =>
        new(WatchEventType.Error, null, new V1Status { Code = 410, Reason = "Expired", Message = "too old resource version" });

    private double Restarts(string reason) => _metrics.WatchRestarts.WithLabels("ConfigMap", reason).Value;

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }

            await Task.Delay(5);
        }
    }

    // The informer waits on the fake clock after a failure; step the clock until it reconnects.
    private async Task<FakeWatch> AdvanceUntilWatchAsync()
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_api.TryTakeWatch<V1ConfigMap>(out var watch))
            {
                return watch!;
            }

            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        Assert.Fail("The informer did not reconnect.");
        return null!;
    }

    [Test]
    public async Task RunAsync_PagedList_CachesEveryPageAndSyncs()
    {
        _api.EnqueuePage(new ResourcePage<V1ConfigMap>([ConfigMap("a", "1"), ConfigMap("b", "2")], "10", "page-2"));
        _api.EnqueuePage(new ResourcePage<V1ConfigMap>([ConfigMap("c", "3")], "10", null));
        Start();

        await _informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.That(_informer.List().Select(c => c.Metadata.Name), Is.EquivalentTo(new[] { "a", "b", "c" }));
        Assert.That(_api.ListCalls.Select(c => (c.Limit, c.Continue)), Is.EqualTo(new[] { ((int?)2, (string?)null), (2, "page-2") }));
    }

    [Test]
    public async Task CachedObjects_DropManagedFields_FromTheListAndFromWatchEvents()
    {
        static V1ConfigMap Applied(string name, string rv)
        {
            var map = ConfigMap(name, rv);
            map.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "serval-operator", Operation = "Apply", FieldsV1 = new { } }];
            map.Data = new Dictionary<string, string> { ["k"] = "v" };
            return map;
        }

        _api.EnqueueList<V1ConfigMap>("1", Applied("a", "1"));
        Start();
        var watch = await _api.NextWatchAsync<V1ConfigMap>();
        watch.Send(Event(WatchEventType.Added, Applied("b", "2")));
        await Eventually(() => _informer.Get("default", "b") is not null, "b cached");

        Assert.Multiple(() =>
        {
            Assert.That(_informer.List().Select(c => c.Metadata.ManagedFields), Is.All.Null);
            Assert.That(_informer.List().Select(c => c.Data["k"]), Is.All.EqualTo("v"), "the rest of the object is kept");
        });
    }

    [Test]
    public async Task CachedObjects_KeepManagedFields_WhenAsked()
    {
        var informer = new Informer<V1ConfigMap>(_api, new InformerOptions { KeepManagedFields = true }, _time, metrics: _metrics, random: new Random(7));
        var map = ConfigMap("a", "1");
        map.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "serval-operator" }];
        _api.EnqueueList<V1ConfigMap>("1", map);
        _run = informer.RunAsync(_stop.Token);

        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.That(informer.Get("default", "a")!.Metadata.ManagedFields, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task RunAsync_AfterList_WatchesFromTheListsResourceVersionWithBookmarks()
    {
        _api.EnqueueList<V1ConfigMap>("42", ConfigMap("a", "1"));
        Start();

        var watch = await _api.NextWatchAsync<V1ConfigMap>();

        Assert.That((watch.Options.ResourceVersion, watch.Options.AllowBookmarks), Is.EqualTo(("42", true)));
    }

    [Test]
    public async Task WatchEvents_AddModifyDelete_UpdateTheCacheAndReachTheHandler()
    {
        _api.EnqueueList<V1ConfigMap>("1");
        Start();
        var watch = await _api.NextWatchAsync<V1ConfigMap>();

        watch.Send(Event(WatchEventType.Added, ConfigMap("a", "2")));
        watch.Send(Event(WatchEventType.Modified, ConfigMap("a", "3")));
        watch.Send(Event(WatchEventType.Added, ConfigMap("b", "4")));
        watch.Send(Event(WatchEventType.Deleted, ConfigMap("b", "5")));
        await Eventually(() => _handler.Calls.Count == 4, "four handler calls");

        Assert.That(_handler.Calls, Is.EqualTo(new[] { "add a@2", "update a@2->3", "add b@4", "delete b@4" }));
        Assert.That(_informer.Get("default", "a")!.Metadata.ResourceVersion, Is.EqualTo("3"));
        Assert.That(_informer.Get("default", "b"), Is.Null);
    }

    [Test]
    public async Task Bookmark_ThenServerClosesTheWatch_ResumesFromTheBookmark()
    {
        _api.EnqueueList<V1ConfigMap>("1");
        Start();
        var first = await _api.NextWatchAsync<V1ConfigMap>();

        first.Send(Event(WatchEventType.Added, ConfigMap("a", "5")));
        first.Send(Bookmark("99"));
        first.Close();
        var second = await _api.NextWatchAsync<V1ConfigMap>();

        Assert.That(second.Options.ResourceVersion, Is.EqualTo("99"));
        Assert.That(_api.ListCalls, Has.Count.EqualTo(1), "a closed watch resumes without a relist");
        Assert.That(Restarts("closed"), Is.EqualTo(1));
    }

    [Test]
    public async Task GoneEvent_Relists_AndReportsVanishedObjectsAsDeletes()
    {
        _api.EnqueueList<V1ConfigMap>("1", ConfigMap("a", "1"), ConfigMap("b", "1"));
        _api.EnqueueList<V1ConfigMap>("50", ConfigMap("b", "7"), ConfigMap("c", "8"));
        Start();
        var first = await _api.NextWatchAsync<V1ConfigMap>();
        _handler.Calls.Clear();

        first.Send(Gone());
        var second = await _api.NextWatchAsync<V1ConfigMap>();

        Assert.That(_handler.Calls, Is.EquivalentTo(new[] { "delete a@1", "update b@1->7", "add c@8" }));
        Assert.That(second.Options.ResourceVersion, Is.EqualTo("50"));
        Assert.That(Restarts("gone"), Is.EqualTo(1));
    }

    [Test]
    public async Task GoneOnWatchStart_Relists()
    {
        _api.EnqueueList<V1ConfigMap>("1", ConfigMap("a", "1"));
        _api.EnqueueList<V1ConfigMap>("60");
        Start();
        var first = await _api.NextWatchAsync<V1ConfigMap>();

        first.Fail(new KubernetesApiException("watch failed: 410 Gone", HttpStatusCode.Gone, null, null));
        var second = await _api.NextWatchAsync<V1ConfigMap>();

        Assert.That(second.Options.ResourceVersion, Is.EqualTo("60"));
        Assert.That(_informer.Count, Is.Zero);
    }

    [Test]
    public async Task SilentWatch_WatchdogReconnectsFromTheSamePoint()
    {
        _api.EnqueueList<V1ConfigMap>("7");
        Start();
        var first = await _api.NextWatchAsync<V1ConfigMap>();

        _time.Advance(TimeSpan.FromSeconds(30));
        var second = await _api.NextWatchAsync<V1ConfigMap>();

        Assert.That(second.Options.ResourceVersion, Is.EqualTo("7"));
        Assert.That(Restarts("watchdog"), Is.EqualTo(1));
    }

    [Test]
    public async Task WatchWithTraffic_WatchdogStaysQuiet()
    {
        _api.EnqueueList<V1ConfigMap>("7");
        Start();
        var watch = await _api.NextWatchAsync<V1ConfigMap>();

        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(20));
            watch.Send(Bookmark($"{10 + i}"));
            await Eventually(() => _informer.ResourceVersion == $"{10 + i}", $"bookmark {10 + i}");
        }

        Assert.That(_api.TryTakeWatch<V1ConfigMap>(out _), Is.False, "no second watch was opened");
        Assert.That(Restarts("watchdog"), Is.Zero);
    }

    [Test]
    public async Task BrokenConnection_RetriesAfterBackoff_WithoutRelisting()
    {
        _api.EnqueueList<V1ConfigMap>("3");
        Start();
        var first = await _api.NextWatchAsync<V1ConfigMap>();

        first.Fail(new HttpRequestException("connection reset"));
        var second = await AdvanceUntilWatchAsync();

        Assert.That(second.Options.ResourceVersion, Is.EqualTo("3"));
        Assert.That(_api.ListCalls, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task FailedList_IsRetriedAfterBackoff()
    {
        _api.EnqueueListError<V1ConfigMap>(new HttpRequestException("connection refused"));
        _api.EnqueueList<V1ConfigMap>("5", ConfigMap("a", "1"));
        Start();

        await AdvanceUntilWatchAsync();

        Assert.That(Restarts("error"), Is.EqualTo(1));
        Assert.That(_informer.Get("default", "a"), Is.Not.Null);
    }

    [Test]
    public async Task HandlerThrows_TheCacheKeepsFollowing()
    {
        var informer = new Informer<V1ConfigMap>(_api, time: _time);
        informer.AddHandler(new ThrowingHandler());
        _api.EnqueueList<V1ConfigMap>("1");
        _run = informer.RunAsync(_stop.Token);
        var watch = await _api.NextWatchAsync<V1ConfigMap>();

        watch.Send(Event(WatchEventType.Added, ConfigMap("a", "2")));
        watch.Send(Event(WatchEventType.Added, ConfigMap("b", "3")));

        await Eventually(() => informer.Count == 2, "both objects cached");
    }

    [Test]
    public async Task List_NamespaceAndSelector_ReturnsOnlyMatches()
    {
        _api.EnqueueList<V1ConfigMap>(
            "1",
            ConfigMap("a", "1", "one", new Dictionary<string, string> { ["app"] = "web" }),
            ConfigMap("b", "1", "one", new Dictionary<string, string> { ["app"] = "db" }),
            ConfigMap("c", "1", "two", new Dictionary<string, string> { ["app"] = "web" }));
        Start();
        await _informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Timeout);

        var found = _informer.List("one", LabelSelector.Parse("app=web"));

        Assert.That(found.Select(c => c.Metadata.Name), Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public async Task CachedObjects_KeepLabelsAndAnnotationsReadOnly()
    {
        var map = ConfigMap("a", "1", labels: new Dictionary<string, string> { ["tier"] = "gpu" });
        map.Metadata.Annotations = new Dictionary<string, string> { ["note"] = "x" };
        _api.EnqueueList<V1ConfigMap>("1", map);
        Start();
        await _informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Timeout);

        var cached = _informer.Get("default", "a")!;

        Assert.Multiple(() =>
        {
            Assert.That(cached.Metadata.Labels, Is.TypeOf<CompactStringDictionary>().And.EqualTo(new Dictionary<string, string> { ["tier"] = "gpu" }));
            Assert.That(cached.Metadata.Annotations, Is.TypeOf<CompactStringDictionary>());
            Assert.That(() => cached.Metadata.Labels["tier"] = "cpu", Throws.TypeOf<NotSupportedException>());
        });
    }

    [Test]
    public async Task ByIndex_ControllerUid_FindsTheOwnedObjects()
    {
        var owned = ConfigMap("owned", "1");
        owned.Metadata.OwnerReferences = [new V1OwnerReference { Uid = "u-1", Controller = true, Kind = "X", Name = "x", ApiVersion = "v1" }];
        var merelyReferenced = ConfigMap("other", "1");
        merelyReferenced.Metadata.OwnerReferences = [new V1OwnerReference { Uid = "u-1", Controller = false, Kind = "X", Name = "x", ApiVersion = "v1" }];
        _api.EnqueueList<V1ConfigMap>("1", owned, merelyReferenced);
        Start();
        await _informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Timeout);

        var found = _informer.ByIndex(CacheIndexes.ControllerUid, "u-1");

        Assert.That(found.Select(c => c.Metadata.Name), Is.EqualTo(new[] { "owned" }));
    }

    [Test]
    public async Task ByIndex_Label_FindsObjectsWithThatLabel()
    {
        _api.EnqueueList<V1ConfigMap>(
            "1",
            ConfigMap("a", "1", labels: new Dictionary<string, string> { ["tier"] = "gpu" }),
            ConfigMap("b", "1", labels: new Dictionary<string, string> { ["tier"] = "cpu" }));
        Start();
        await _informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Timeout);

        var found = _informer.ByIndex(CacheIndexes.Label, CacheIndexes.LabelValue("tier", "gpu"));

        Assert.That(found.Select(c => c.Metadata.Name), Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public void AddHandler_AfterStart_Throws()
    {
        _api.EnqueueList<V1ConfigMap>("1");
        Start();

        Assert.Throws<InvalidOperationException>(() => _informer.AddHandler(new RecordingHandler()));
    }

    [Test]
    public void Constructor_BadPageSize_NamesTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new Informer<V1ConfigMap>(_api, new InformerOptions { PageSize = 0 }));

        Assert.That(error!.Message, Does.Contain("InformerOptions.PageSize").And.Contain("0"));
    }

    private sealed class RecordingHandler : IInformerHandler<V1ConfigMap>
    {
        public ConcurrentQueue<string> Calls { get; } = new();

        public void OnAdd(V1ConfigMap obj) => Calls.Enqueue($"add {obj.Metadata.Name}@{obj.Metadata.ResourceVersion}");

        public void OnUpdate(V1ConfigMap oldObj, V1ConfigMap newObj) =>
            Calls.Enqueue($"update {newObj.Metadata.Name}@{oldObj.Metadata.ResourceVersion}->{newObj.Metadata.ResourceVersion}");

        public void OnDelete(V1ConfigMap obj) => Calls.Enqueue($"delete {obj.Metadata.Name}@{obj.Metadata.ResourceVersion}");
    }

    private sealed class ThrowingHandler : IInformerHandler<V1ConfigMap>
    {
        public void OnAdd(V1ConfigMap obj) => throw new InvalidOperationException("handler bug");

        public void OnUpdate(V1ConfigMap oldObj, V1ConfigMap newObj) => throw new InvalidOperationException("handler bug");

        public void OnDelete(V1ConfigMap obj) => throw new InvalidOperationException("handler bug");
    }
}
