using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Serval.Controllers.Kubernetes;

namespace Serval.Controllers.Tests.Kubernetes;

/// <summary>
/// The seam against a scripted HTTP server: the requests it sends (paths, queries, content types,
/// bodies) and how it reads answers, errors and watch streams.
/// </summary>
public sealed class KubernetesApiTests
{
    private WebApplication _server = null!;
    private KubernetesApi _api = null!;
    private Func<HttpContext, Task> _respond = _ => Task.CompletedTask;

    private ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    [OneTimeSetUp]
    public async Task StartServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            Requests.Enqueue(new RecordedRequest(
                context.Request.Method,
                context.Request.Path.Value!,
                context.Request.QueryString.Value ?? string.Empty,
                context.Request.ContentType,
                context.Request.Headers.UserAgent.ToString(),
                await reader.ReadToEndAsync()));
            await _respond(context);
        });
        await _server.StartAsync();
        _api = new KubernetesApi(new KubernetesClientConfiguration { Host = _server.Urls.First() });
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [SetUp]
    public void Clear() => Requests.Clear();

    private void Answer(int status, string json) => _respond = async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    };

    private static V1Deployment Deployment() => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "resnet",
            NamespaceProperty = "ml",
            ManagedFields = [new V1ManagedFieldsEntry { Manager = "someone" }],
        },
        Spec = new V1DeploymentSpec { Replicas = 2, Selector = new V1LabelSelector() },
        Status = new V1DeploymentStatus { ReadyReplicas = 1 },
    };

    [Test]
    public async Task ListAsync_CorePage_AsksForThePageAndFillsKinds()
    {
        Answer(200, """{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"12","continue":"next"},"items":[{"metadata":{"name":"a","namespace":"ml"}}]}""");

        var page = await _api.ListAsync<V1ConfigMap>("ml", new ListOptions { Limit = 2, Continue = "prev" }, CancellationToken.None);

        var request = Requests.Single();
        Assert.That((request.Method, request.Path), Is.EqualTo(("GET", "/api/v1/namespaces/ml/configmaps")));
        Assert.That(request.Query, Does.Contain("limit=2").And.Contain("continue=prev"));
        Assert.That((page.ResourceVersion, page.Continue), Is.EqualTo(("12", "next")));
        Assert.That((page.Items[0].ApiVersion, page.Items[0].Kind), Is.EqualTo(("v1", "ConfigMap")));
    }

    [Test]
    public async Task ListAsync_AllNamespaces_UsesTheClusterWidePath()
    {
        Answer(200, """{"metadata":{"resourceVersion":"3"},"items":[]}""");

        await _api.ListAsync<V1Deployment>(null, new ListOptions(), CancellationToken.None);

        Assert.That(Requests.Single().Path, Is.EqualTo("/apis/apps/v1/deployments"));
    }

    [Test]
    public async Task GetAsync_NotFound_ReturnsNull()
    {
        Answer(404, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");

        var found = await _api.GetAsync<V1Deployment>("ml", "missing", CancellationToken.None);

        Assert.That(found, Is.Null);
        Assert.That(Requests.Single().Path, Is.EqualTo("/apis/apps/v1/namespaces/ml/deployments/missing"));
    }

    [Test]
    public async Task ApplyAsync_SendsAForcedApplyPatchAsTheFieldManager()
    {
        Answer(200, """{"metadata":{"name":"resnet","namespace":"ml","resourceVersion":"9"}}""");

        var applied = await _api.ApplyAsync(Deployment(), CancellationToken.None);

        var request = Requests.Single();
        Assert.That((request.Method, request.Path), Is.EqualTo(("PATCH", "/apis/apps/v1/namespaces/ml/deployments/resnet")));
        Assert.That(request.Query, Does.Contain("fieldManager=serval-operator").And.Contain("force=true"));
        Assert.That(request.ContentType, Does.StartWith("application/apply-patch+yaml"));
        var body = JsonNode.Parse(request.Body)!;
        Assert.That(((string?)body["apiVersion"], (string?)body["kind"]), Is.EqualTo(("apps/v1", "Deployment")));
        Assert.That(body["metadata"]!["managedFields"], Is.Null, "apply refuses managedFields");
        Assert.That((int?)body["spec"]!["replicas"], Is.EqualTo(2));
        Assert.That(applied.Metadata.ResourceVersion, Is.EqualTo("9"));
        Assert.That(request.UserAgent, Is.EqualTo("serval-operator"));
    }

    [Test]
    public async Task ApplyStatusAsync_SendsOnlyTheStatusToTheSubresource()
    {
        Answer(200, """{"metadata":{"name":"resnet","namespace":"ml"}}""");

        await _api.ApplyStatusAsync(Deployment(), CancellationToken.None);

        var request = Requests.Single();
        Assert.That(request.Path, Is.EqualTo("/apis/apps/v1/namespaces/ml/deployments/resnet/status"));
        var body = JsonNode.Parse(request.Body)!.AsObject();
        Assert.That(body.Select(p => p.Key), Is.EquivalentTo(new[] { "apiVersion", "kind", "metadata", "status" }));
        Assert.That((int?)body["status"]!["readyReplicas"], Is.EqualTo(1));
    }

    [Test]
    public async Task DeleteAsync_AlreadyGone_ReturnsFalse()
    {
        Answer(404, """{"kind":"Status","code":404,"reason":"NotFound"}""");

        var deleted = await _api.DeleteAsync<V1Service>("ml", "svc", CancellationToken.None);

        Assert.That(deleted, Is.False);
        Assert.That(Requests.Single().Query, Does.Contain("propagationPolicy=Background"));
    }

    [Test]
    public async Task CreateAsync_Refused_ThrowsWithTheServersReasonAndMessage()
    {
        Answer(409, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"AlreadyExists","message":"deployments.apps \"resnet\" already exists","code":409}""");

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => _api.CreateAsync(Deployment(), CancellationToken.None));

        Assert.That(error!.IsAlreadyExists, Is.True);
        Assert.That(error.Message, Does.Contain("create deployments.apps ml/resnet").And.Contain("409 AlreadyExists").And.Contain("already exists"));
    }

    [Test]
    public async Task WatchAsync_EventsBookmarkAndGone_AreYieldedThenTheWatchEnds()
    {
        _respond = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"ml","resourceVersion":"6"}}}""" + "\n");
            await context.Response.WriteAsync("""{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"8"}}}""" + "\n");
            await context.Response.WriteAsync("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Expired","message":"too old resource version","code":410}}""" + "\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var events = new List<WatchEvent<V1ConfigMap>>();
        await foreach (var change in _api.WatchAsync<V1ConfigMap>("ml", new WatchOptions { ResourceVersion = "5" }, timeout.Token))
        {
            events.Add(change);
        }

        Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { WatchEventType.Added, WatchEventType.Bookmark, WatchEventType.Error }));
        Assert.That((events[0].Object!.Kind, events[1].Object!.Metadata.ResourceVersion, events[2].IsGone), Is.EqualTo(("ConfigMap", "8", true)));
        var request = Requests.Single();
        Assert.That(request.Query, Does.Contain("watch=true").And.Contain("allowWatchBookmarks=true").And.Contain("resourceVersion=5"));
    }

    [Test]
    public async Task WatchAsync_ServerClosesTheStream_EndsTheSequence()
    {
        _respond = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"type":"MODIFIED","object":{"metadata":{"name":"a","namespace":"ml","resourceVersion":"7"}}}""" + "\n");
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var events = new List<WatchEvent<V1ConfigMap>>();
        await foreach (var change in _api.WatchAsync<V1ConfigMap>(null, new WatchOptions { Timeout = TimeSpan.FromMinutes(5) }, timeout.Token))
        {
            events.Add(change);
        }

        Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { WatchEventType.Modified }));
        Assert.That(Requests.Single().Query, Does.Contain("timeoutSeconds=300"));
    }

    [Test]
    public async Task WatchAsync_GoneAtTheStart_ThrowsAGoneError()
    {
        Answer(410, """{"kind":"Status","code":410,"reason":"Expired","message":"too old"}""");

        var error = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var unused in _api.WatchAsync<V1ConfigMap>("ml", new WatchOptions { ResourceVersion = "1" }, CancellationToken.None))
            {
            }
        });

        Assert.That(error!.IsGone, Is.True);
    }

    private sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string UserAgent, string Body);
}
