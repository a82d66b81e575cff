using k8s;
using k8s.Models;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Server;

/// <summary>The request log: what each request was, as Kubernetes names verbs and resources.</summary>
[TestFixture]
public sealed class RequestLogTests
{
    private EmbeddedApiServer _server = null!;
    private Kubernetes _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions());
        _client = new Kubernetes(_server.ClientConfiguration());
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task EachVerb_IsRecordedWithItsResourceNamespaceAndName()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("logged"), "default", fieldManager: "tester");
        await _client.CoreV1.ReadNamespacedConfigMapAsync("logged", "default");
        await _client.CoreV1.ListNamespacedConfigMapAsync("default");
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "logged", "default");
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{}", V1Patch.PatchType.MergePatch), "logged", "default");
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("logged", "default");
        await _client.CoreV1.DeleteCollectionNamespacedConfigMapAsync("default");

        var verbs = _server.Requests.Where(r => r.Resource == "configmaps").Select(r => r.Verb);

        Assert.That(verbs, Is.EqualTo(new[] { "create", "get", "list", "update", "patch", "delete", "deletecollection" }));
    }

    [Test]
    public async Task Create_RecordsFieldManagerStatusAndTarget()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("target"), "default", fieldManager: "serval-operator");

        var record = _server.Requests.Where(r => r.Verb == "create").Single();

        Assert.That((record.Group, record.Version, record.Resource, record.Namespace, record.FieldManager, record.StatusCode),
            Is.EqualTo(("apps", "v1", "deployments", "default", "serval-operator", 201)));
    }

    [Test]
    public async Task CountWrites_AfterClear_CountsOnlyNewWrites()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("before"), "default");
        _server.Requests.Clear();

        await _client.CoreV1.ReadNamespacedConfigMapAsync("before", "default");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("after"), "default");

        Assert.That(_server.Requests.CountWrites(), Is.EqualTo(1));
        Assert.That(_server.Requests.Count(), Is.EqualTo(2));
    }
}
