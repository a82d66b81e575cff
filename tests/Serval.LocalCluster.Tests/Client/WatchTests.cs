using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Client;

/// <summary>Watches: streaming, resume from a resourceVersion, 410 past the window, bookmarks, timeouts, selector transitions.</summary>
[TestFixture]
public sealed class WatchTests
{
    private FakeTimeProvider _time = null!;
    private EmbeddedApiServer _server = null!;
    private Kubernetes _client = null!;
    private HttpClient _http = null!;
    private int _namespaces;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
        {
            WatchWindow = 5,
            BookmarkInterval = TimeSpan.FromSeconds(10),
            TimeProvider = _time,
        });
        _client = new Kubernetes(_server.ClientConfiguration());
        _http = new HttpClient { BaseAddress = _server.Url };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task Watch_FromAListsVersion_SeesOnlyLaterChanges()
    {
        var ns = await NamespaceAsync();
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("before"), ns);
        var list = await _client.CoreV1.ListNamespacedConfigMapAsync(ns);
        using var stream = await OpenAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={list.Metadata.ResourceVersion}");

        await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("after"), ns);
        var e = await stream.NextAsync();

        Assert.That(e["type"]!.GetValue<string>(), Is.EqualTo("ADDED"));
        Assert.That(e["object"]!["metadata"]!["name"]!.GetValue<string>(), Is.EqualTo("after"));
    }

    [Test]
    public async Task Watch_WithoutVersion_StartsWithEveryCurrentObject()
    {
        var ns = await NamespaceAsync();
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("existing"), ns);

        using var stream = await OpenAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true");
        var e = await stream.NextAsync();

        Assert.That(e["type"]!.GetValue<string>(), Is.EqualTo("ADDED"));
        Assert.That(e["object"]!["metadata"]!["name"]!.GetValue<string>(), Is.EqualTo("existing"));
    }

    [Test]
    public async Task Watch_ResumingAfterDisconnect_ReplaysWhatWasMissed()
    {
        var ns = await NamespaceAsync();
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("resumed"), ns);
        created.Data["k"] = "changed";
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "resumed", ns);

        using var stream = await OpenAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={created.Metadata.ResourceVersion}");
        var e = await stream.NextAsync();

        Assert.That(e["type"]!.GetValue<string>(), Is.EqualTo("MODIFIED"));
        Assert.That(e["object"]!["data"]!["k"]!.GetValue<string>(), Is.EqualTo("changed"));
    }

    [Test]
    public async Task Watch_FromAVersionOlderThanTheWindow_GetsExpired410()
    {
        var ns = await NamespaceAsync();
        var first = await _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s0" } }, ns);
        for (var i = 1; i <= 6; i++)
        {
            await _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = $"s{i}" } }, ns);
        }

        using var stream = await OpenAsync($"/api/v1/namespaces/{ns}/secrets?watch=true&resourceVersion={first.Metadata.ResourceVersion}");
        var e = await stream.NextAsync();

        Assert.That(e["type"]!.GetValue<string>(), Is.EqualTo("ERROR"));
        Assert.That(e["object"]!["code"]!.GetValue<int>(), Is.EqualTo(410));
        Assert.That(e["object"]!["reason"]!.GetValue<string>(), Is.EqualTo("Expired"));
    }

    [Test]
    public async Task KubernetesClientWatch_FromATooOldVersion_ReportsTheExpiredStatus()
    {
        var ns = await NamespaceAsync();
        var first = await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "a0" } }, ns);
        for (var i = 1; i <= 6; i++)
        {
            await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = $"a{i}" } }, ns);
        }

        var error = new TaskCompletionSource<Exception>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = _client.CoreV1.WatchListNamespacedServiceAccountAsync(ns, resourceVersion: first.Metadata.ResourceVersion,
            onError: e => error.TrySetResult(e), cancellationToken: cts.Token);
        await foreach (var _ in events)
        {
            Assert.Fail("no event was expected before the error");
        }

        var failure = await error.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(failure, Is.InstanceOf<KubernetesException>());
        Assert.That(((KubernetesException)failure).Status.Code, Is.EqualTo(410));
    }

    [Test]
    public async Task Watch_WithBookmarksAllowed_GetsOneEachInterval()
    {
        var ns = await NamespaceAsync();
        using var stream = await OpenAsync($"/api/v1/namespaces/{ns}/pods?watch=true&allowWatchBookmarks=true&resourceVersion=1");

        _time.Advance(TimeSpan.FromSeconds(10));
        var e = await stream.NextAsync();

        Assert.That(e["type"]!.GetValue<string>(), Is.EqualTo("BOOKMARK"));
        Assert.That(long.Parse(e["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            Is.EqualTo(_server.ResourceVersion));
    }

    [Test]
    public async Task Watch_WithTimeoutSeconds_EndsWhenItPasses()
    {
        var ns = await NamespaceAsync();
        using var stream = await OpenAsync($"/api/v1/namespaces/{ns}/pods?watch=true&timeoutSeconds=30&resourceVersion=1");

        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.That(await stream.EndedAsync(), Is.True);
    }

    [Test]
    public async Task Watch_WithLabelSelector_SeesAnObjectLeavingTheSelectionAsDeleted()
    {
        var ns = await NamespaceAsync();
        var cm = await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("mover", new Dictionary<string, string> { ["team"] = "a" }), ns);
        using var stream = await OpenAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&labelSelector=team%3Da&resourceVersion={cm.Metadata.ResourceVersion}");

        cm.Metadata.Labels["team"] = "b";
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(cm, "mover", ns);
        var e = await stream.NextAsync();

        Assert.That(e["type"]!.GetValue<string>(), Is.EqualTo("DELETED"));
    }

    [Test]
    public async Task Watch_WithSendInitialEvents_EndsTheInitialObjectsWithAnAnnotatedBookmark()
    {
        var ns = await NamespaceAsync();
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("initial"), ns);

        using var stream = await OpenAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");
        var added = await stream.NextAsync();
        var bookmark = await stream.NextAsync();

        Assert.That(added["type"]!.GetValue<string>(), Is.EqualTo("ADDED"));
        Assert.That(bookmark["type"]!.GetValue<string>(), Is.EqualTo("BOOKMARK"));
        Assert.That(bookmark["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>(), Is.EqualTo("true"));
    }

    [Test]
    public async Task RemovingTheLastFinalizer_IsSeenAsDeletedWithTheFinalStateOfTheObject()
    {
        var ns = await NamespaceAsync();
        var cm = Workloads.ConfigMap("finalized");
        cm.Metadata.Finalizers = ["test.serval.dev/hold"];
        await _client.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("finalized", ns);
        var marked = await _client.CoreV1.ReadNamespacedConfigMapAsync("finalized", ns);
        using var stream = await OpenAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={marked.Metadata.ResourceVersion}");

        marked.Metadata.Finalizers = [];
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(marked, "finalized", ns);
        var e = await stream.NextAsync();

        Assert.That(e["type"]!.GetValue<string>(), Is.EqualTo("DELETED"));
        Assert.That(e["object"]!["metadata"]!["finalizers"], Is.Null.Or.Empty);
    }

    [Test]
    public async Task CutWatches_EndsOpenStreams()
    {
        var ns = await NamespaceAsync();
        using var stream = await OpenAsync($"/api/v1/namespaces/{ns}/pods?watch=true&resourceVersion=1");

        _server.Faults.CutWatches();

        Assert.That(await stream.EndedAsync(), Is.True);
    }

    [Test]
    public async Task Watch_AsTable_SendsRowsWithColumns()
    {
        var ns = await NamespaceAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?watch=true");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));
        using var stream = await OpenAsync(request);

        await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("tabled"), ns);
        var e = await stream.NextAsync();

        Assert.That(e["object"]!["kind"]!.GetValue<string>(), Is.EqualTo("Table"));
        Assert.That(e["object"]!["rows"]![0]!["cells"]![0]!.GetValue<string>(), Is.EqualTo("tabled"));
    }

    private async Task<string> NamespaceAsync()
    {
        var name = $"watch-{Interlocked.Increment(ref _namespaces)}";
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    private Task<WatchStream> OpenAsync(string path) => OpenAsync(new HttpRequestMessage(HttpMethod.Get, path));

    private async Task<WatchStream> OpenAsync(HttpRequestMessage request)
    {
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        return new WatchStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    private sealed class WatchStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public async Task<JsonObject> NextAsync()
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That(line, Is.Not.Null, "the watch ended before an event arrived");
            return (JsonObject)JsonNode.Parse(line!)!;
        }

        public async Task<bool> EndedAsync()
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            return line is null;
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
