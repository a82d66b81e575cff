using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Serval.Controllers.Kubernetes;
using Serval.LocalCluster.Local.Proxy;
using Serval.LocalCluster.Tests.TestSupport;
using static Serval.LocalCluster.Tests.Proxy.ProxyObjects;

namespace Serval.LocalCluster.Tests.Proxy;

public sealed class LocalProxyTests
{
    private string _stateDirectory = null!;
    private EmbeddedApiServer _server = null!;
    private KubernetesApi _api = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task SetUp()
    {
        _stateDirectory = Directory.CreateTempSubdirectory("serval-proxy-").FullName;
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions());
        _api = new KubernetesApi(_server.ClientConfiguration(), new KubernetesApiOptions { UserAgent = "proxy-test" });
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
    }

    [TearDown]
    public async Task TearDown()
    {
        _http.Dispose();
        _api.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_stateDirectory, recursive: true);
    }

    private LocalProxy NewProxy() => new(_api, new LocalProxyOptions { StateDirectory = _stateDirectory });

    private void Put(IKubernetesObject<V1ObjectMeta> obj, object? status = null)
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        json.Remove("status");
        var created = _server.Create(json);
        if (status is not null)
        {
            created["status"] = JsonNode.Parse(KubernetesJson.Serialize(status));
            _server.UpdateStatus(created);
        }
    }

    private void SetStatus(V1Pod pod)
    {
        var current = _server.Get("v1", "Pod", "default", pod.Metadata.Name)!;
        current["status"] = JsonNode.Parse(KubernetesJson.Serialize(pod.Status));
        _server.UpdateStatus(current);
    }

    private void PutPod(V1Pod pod) => Put(pod, pod.Status);

    private async Task<IReadOnlyList<string>> GetManyAsync(Uri url, int count)
    {
        var answers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var response = await _http.GetAsync(new Uri(url, "/v2/health/ready"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        return answers;
    }

    private static Task WaitForEndpointsAsync(LocalProxy proxy, int count) =>
        Eventually.TrueAsync(
            () => proxy.Routes.TryGetValue(new RouteKey("default", "m"), out var r) && r.Rules[^1].Backends.Sum(b => b.Endpoints.Count) == count,
            $"{count} endpoint(s) for default/m",
            TimeSpan.FromSeconds(10));

    [Test]
    public async Task Service_IsServedAtTheUrlHandedOutBeforeItExisted_RoundRobinOverReadyPods()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var proxy = NewProxy();
        await proxy.StartAsync(CancellationToken.None);
        var url = proxy.UrlOf("default", "m");

        Put(TopLevel("m", stable: "r1"));
        PutPod(Pod("m-a", "m", "r1", a.Port));
        PutPod(Pod("m-b", "m", "r1", b.Port));
        await WaitForEndpointsAsync(proxy, 2);
        await Eventually.TrueAsync(() => proxy.Listeners.ContainsKey(new RouteKey("default", "m")), "the listener", TimeSpan.FromSeconds(10));

        var answers = await GetManyAsync(url, 10);

        Assert.That(answers.Count(x => x == "a"), Is.EqualTo(5));
        Assert.That(answers.Count(x => x == "b"), Is.EqualTo(5));
    }

    [Test]
    public async Task PodThatTurnsNotReady_GetsNoMoreRequests()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var proxy = NewProxy();
        await proxy.StartAsync(CancellationToken.None);
        Put(TopLevel("m", stable: "r1"));
        PutPod(Pod("m-a", "m", "r1", a.Port));
        PutPod(Pod("m-b", "m", "r1", b.Port));
        await WaitForEndpointsAsync(proxy, 2);

        SetStatus(Pod("m-b", "m", "r1", b.Port, ready: false));
        await WaitForEndpointsAsync(proxy, 1);
        var answers = await GetManyAsync(proxy.UrlOf("default", "m"), 10);

        Assert.That(answers, Is.All.EqualTo("a"));
    }

    [Test]
    public async Task PodWhoseProcessDied_RequestsAreRetriedOnAnotherPod()
    {
        await using var a = await TestBackend.StartAsync("a");
        var b = await TestBackend.StartAsync("b");
        await using var proxy = NewProxy();
        await proxy.StartAsync(CancellationToken.None);
        Put(TopLevel("m", stable: "r1"));
        PutPod(Pod("m-a", "m", "r1", a.Port));
        PutPod(Pod("m-b", "m", "r1", b.Port));
        await WaitForEndpointsAsync(proxy, 2);

        // Still Ready in the API (the kubelet has not noticed yet), but nothing listens any more.
        await b.DisposeAsync();
        var answers = await GetManyAsync(proxy.UrlOf("default", "m"), 10);

        Assert.That(answers, Is.All.EqualTo("a"));
        Assert.That(a.Requests, Is.EqualTo(10));
    }

    [Test]
    public async Task NoReadyPod_Answers503NamingTheService()
    {
        await using var proxy = NewProxy();
        await proxy.StartAsync(CancellationToken.None);
        Put(TopLevel("m", stable: "r1"));
        await Eventually.TrueAsync(() => proxy.Listeners.ContainsKey(new RouteKey("default", "m")), "the listener", TimeSpan.FromSeconds(10));

        using var response = await _http.GetAsync(new Uri(proxy.UrlOf("default", "m"), "/v2/health/ready"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(body["error"]!.GetValue<string>(), Does.Contain("default/m").And.Contain("no ready endpoint"));
    }

    [Test]
    public async Task RevisionHeader_PinsRequestsToTheCanary()
    {
        await using var stable = await TestBackend.StartAsync("stable");
        await using var canary = await TestBackend.StartAsync("canary");
        await using var proxy = NewProxy();
        await proxy.StartAsync(CancellationToken.None);
        Put(TopLevel("m", stable: "r1", canary: "r2", selectRevision: "r1"));
        PutPod(Pod("m-s", "m", "r1", stable.Port));
        PutPod(Pod("m-c", "m", "r2", canary.Port));
        await Eventually.TrueAsync(
            () => proxy.Routes.TryGetValue(new RouteKey("default", "m"), out var r) && r.Rules.All(rule => rule.Backends.Single().Endpoints.Count == 1),
            "one endpoint for each pin and the split",
            TimeSpan.FromSeconds(10));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.UrlOf("default", "m"), "/v2"));
        request.Headers.Add("serval-revision", "canary");
        using var pinned = await _http.SendAsync(request);
        var unpinned = await GetManyAsync(proxy.UrlOf("default", "m"), 4);

        Assert.That(await pinned.Content.ReadAsStringAsync(), Is.EqualTo("canary"));
        Assert.That(unpinned, Is.All.EqualTo("stable"));
    }

    [Test]
    public async Task LargeBody_StreamsThroughUnchanged()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var proxy = NewProxy();
        await proxy.StartAsync(CancellationToken.None);
        Put(TopLevel("m", stable: "r1"));
        PutPod(Pod("m-a", "m", "r1", a.Port));
        await WaitForEndpointsAsync(proxy, 1);
        var payload = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(payload);

        using var response = await _http.PostAsync(new Uri(proxy.UrlOf("default", "m"), "/echo"), new ByteArrayContent(payload));
        var echoed = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(echoed, Is.EqualTo(payload));
    }

    [Test]
    public async Task Restart_KeepsTheUrl()
    {
        Uri first;
        await using (var proxy = NewProxy())
        {
            await proxy.StartAsync(CancellationToken.None);
            first = proxy.UrlOf("default", "m");
        }

        await using var again = NewProxy();
        await again.StartAsync(CancellationToken.None);

        Assert.That(again.UrlOf("default", "m"), Is.EqualTo(first));
        Assert.That(again.UrlOf("default", "other"), Is.Not.EqualTo(first));
    }

    [Test]
    public async Task DeletedService_ClosesItsListener()
    {
        await using var proxy = NewProxy();
        await proxy.StartAsync(CancellationToken.None);
        Put(TopLevel("m", stable: "r1"));
        await Eventually.TrueAsync(() => proxy.Listeners.ContainsKey(new RouteKey("default", "m")), "the listener", TimeSpan.FromSeconds(10));

        _server.Delete("v1", "Service", "default", "m");

        await Eventually.TrueAsync(() => proxy.Listeners.Count == 0, "the listener to close", TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync(proxy.UrlOf("default", "m")));
    }
}
