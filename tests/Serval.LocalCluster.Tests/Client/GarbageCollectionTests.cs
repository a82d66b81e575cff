using k8s;
using k8s.Models;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Client;

/// <summary>Owner references, propagation policies, finalizers and namespace deletion.</summary>
[TestFixture]
public sealed class GarbageCollectionTests
{
    private EmbeddedApiServer _server = null!;
    private Kubernetes _client = null!;
    private int _namespaces;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions());
        _client = new Kubernetes(_server.ClientConfiguration());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task DeletingAnOwner_InBackground_DeletesItsDependents()
    {
        var ns = await NamespaceAsync();
        var owner = await _client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("owner"), ns);
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Dependent("child", owner), ns);

        await _client.AppsV1.DeleteNamespacedDeploymentAsync("owner", ns, propagationPolicy: "Background");

        await Eventually.TrueAsync(() => _server.Get("v1", "ConfigMap", ns, "child") is null, "the dependent to be collected");
    }

    [Test]
    public async Task ADependentWrittenAfterItsOwnerWasDeleted_IsCollected()
    {
        // A controller racing the collector: it creates a dependent of an owner that is already gone.
        var ns = await NamespaceAsync();
        var owner = await _client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("owner"), ns);
        await _client.AppsV1.DeleteNamespacedDeploymentAsync("owner", ns, propagationPolicy: "Background");
        await Eventually.TrueAsync(() => _server.Get("apps/v1", "Deployment", ns, "owner") is null, "the owner to go");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("unowned"), ns);

        await _client.CoreV1.CreateNamespacedConfigMapAsync(Dependent("late", owner), ns);

        await Eventually.TrueAsync(() => _server.Get("v1", "ConfigMap", ns, "late") is null, "the late dependent to be collected");
        Assert.That(_server.Get("v1", "ConfigMap", ns, "unowned"), Is.Not.Null, "objects without owners stay");
    }

    [Test]
    public async Task DeletingAnOwner_WithOrphan_KeepsDependentsAndDropsTheirOwnerReference()
    {
        var ns = await NamespaceAsync();
        var owner = await _client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("owner"), ns);
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Dependent("child", owner), ns);

        await _client.AppsV1.DeleteNamespacedDeploymentAsync("owner", ns, propagationPolicy: "Orphan");

        await Eventually.TrueAsync(() => _server.Get("apps/v1", "Deployment", ns, "owner") is null, "the owner to go");
        var child = await _client.CoreV1.ReadNamespacedConfigMapAsync("child", ns);
        Assert.That(child.Metadata.OwnerReferences, Is.Null.Or.Empty);
    }

    [Test]
    public async Task DeletingAnOwner_InForeground_WaitsForDependentsWithFinalizers()
    {
        var ns = await NamespaceAsync();
        var owner = await _client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("owner"), ns);
        var child = Dependent("child", owner);
        child.Metadata.Finalizers = ["test.serval.dev/hold"];
        await _client.CoreV1.CreateNamespacedConfigMapAsync(child, ns);

        await _client.AppsV1.DeleteNamespacedDeploymentAsync("owner", ns, propagationPolicy: "Foreground");
        await Eventually.TrueAsync(() => _server.Get("v1", "ConfigMap", ns, "child")?["metadata"]?["deletionTimestamp"] is not null,
            "the dependent to be marked for deletion");
        var waiting = await _client.AppsV1.ReadNamespacedDeploymentAsync("owner", ns);
        Assert.That(waiting.Metadata.Finalizers, Does.Contain("foregroundDeletion"));

        var held = await _client.CoreV1.ReadNamespacedConfigMapAsync("child", ns);
        held.Metadata.Finalizers = [];
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(held, "child", ns);

        await Eventually.TrueAsync(() => _server.Get("apps/v1", "Deployment", ns, "owner") is null, "the owner to go after its dependents");
    }

    [Test]
    public async Task Delete_WithAFinalizer_MarksTheObjectUntilTheFinalizerIsRemoved()
    {
        var ns = await NamespaceAsync();
        var cm = Workloads.ConfigMap("held");
        cm.Metadata.Finalizers = ["test.serval.dev/hold"];
        await _client.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);

        await _client.CoreV1.DeleteNamespacedConfigMapAsync("held", ns);
        var marked = await _client.CoreV1.ReadNamespacedConfigMapAsync("held", ns);
        marked.Metadata.Finalizers = [];
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(marked, "held", ns);

        Assert.That(marked.Metadata.DeletionTimestamp, Is.Not.Null);
        Assert.That(_server.Get("v1", "ConfigMap", ns, "held"), Is.Null);
    }

    [Test]
    public async Task AddingAFinalizerWhileDeleting_IsForbidden()
    {
        var ns = await NamespaceAsync();
        var cm = Workloads.ConfigMap("late");
        cm.Metadata.Finalizers = ["a"];
        await _client.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("late", ns);
        var marked = await _client.CoreV1.ReadNamespacedConfigMapAsync("late", ns);
        marked.Metadata.Finalizers.Add("b");

        var (code, status) = await ApiErrors.CatchAsync(() => _client.CoreV1.ReplaceNamespacedConfigMapAsync(marked, "late", ns));

        Assert.That(code, Is.EqualTo(422));
        Assert.That(status["details"]!["causes"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("metadata.finalizers"));
    }

    [Test]
    public async Task DeletingACustomResource_DeletesTheDeploymentsItOwns()
    {
        var ns = await NamespaceAsync();
        _server.ApplyManifests(TestData.Read("widgets-crd.yaml"));
        var owner = _server.Create(new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "test.serval.dev/v1", ["kind"] = "Widget",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "owner", ["namespace"] = ns },
            ["spec"] = new System.Text.Json.Nodes.JsonObject { ["model"] = "mlp" },
        });
        var deployment = Workloads.Deployment("owned");
        deployment.Metadata.OwnerReferences =
        [
            new V1OwnerReference { ApiVersion = "test.serval.dev/v1", Kind = "Widget", Name = "owner", Uid = owner["metadata"]!["uid"]!.GetValue<string>(), Controller = true },
        ];
        await _client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns);

        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync("test.serval.dev", "v1", ns, "widgets", "owner");

        await Eventually.TrueAsync(() => _server.Get("apps/v1", "Deployment", ns, "owned") is null, "the owned deployment to be collected");
    }

    [Test]
    public async Task DeletingTheDefaultNamespace_IsForbidden()
    {
        var (code, _) = await ApiErrors.CatchAsync(() => _client.CoreV1.DeleteNamespaceAsync("default"));

        Assert.That(code, Is.EqualTo(403));
    }

    [Test]
    public async Task DeletingANamespace_DeletesItsContentThenItself()
    {
        var ns = await NamespaceAsync();
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("inside"), ns);
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("inside"), ns);

        await _client.CoreV1.DeleteNamespaceAsync(ns);

        await Eventually.TrueAsync(() => _server.Get("v1", "Namespace", null, ns) is null, "the namespace to go");
        Assert.That(_server.List("v1", "ConfigMap", ns), Is.Empty);
        Assert.That(_server.List("apps/v1", "Deployment", ns), Is.Empty);
    }

    [Test]
    public async Task CreatingInATerminatingNamespace_IsForbidden()
    {
        var ns = await NamespaceAsync();
        var cm = Workloads.ConfigMap("blocker");
        cm.Metadata.Finalizers = ["test.serval.dev/hold"];
        await _client.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);
        await _client.CoreV1.DeleteNamespaceAsync(ns);

        var (code, status) = await ApiErrors.CatchAsync(() => _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("late"), ns));

        Assert.That(code, Is.EqualTo(403));
        Assert.That(status["message"]!.GetValue<string>(), Does.Contain($"because it is being terminated"));
    }

    private async Task<string> NamespaceAsync()
    {
        var name = $"gc-{Interlocked.Increment(ref _namespaces)}";
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    private static V1ConfigMap Dependent(string name, V1Deployment owner)
    {
        var cm = Workloads.ConfigMap(name);
        cm.Metadata.OwnerReferences =
        [
            new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, Controller = true, BlockOwnerDeletion = true },
        ];
        return cm;
    }
}
