using k8s;
using k8s.Models;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Client;

/// <summary>Status and scale subresources, and how generation follows spec changes only.</summary>
[TestFixture]
public sealed class SubresourceTests
{
    private EmbeddedApiServer _server = null!;
    private Kubernetes _client = null!;

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
    public async Task Create_DropsStatusForKindsWithAStatusSubresource()
    {
        var deployment = Workloads.Deployment("fresh");
        deployment.Status = new V1DeploymentStatus { Replicas = 9 };

        var created = await _client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default");

        Assert.That(created.Status?.Replicas, Is.Null);
    }

    [Test]
    public async Task ReplaceStatus_ChangesStatusOnly_AndKeepsGeneration()
    {
        var created = await _client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("status-only"), "default");
        created.Status = new V1DeploymentStatus { Replicas = 1, ReadyReplicas = 1 };
        created.Spec.Replicas = 5;

        var updated = await _client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(created, "status-only", "default");

        Assert.That(updated.Status.ReadyReplicas, Is.EqualTo(1));
        Assert.That(updated.Spec.Replicas, Is.EqualTo(1));
        Assert.That(updated.Metadata.Generation, Is.EqualTo(1));
    }

    [Test]
    public async Task Replace_IgnoresStatus_AndBumpsGenerationOnSpecChange()
    {
        var created = await _client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("spec-only"), "default");
        created.Status = new V1DeploymentStatus { Replicas = 3 };
        created.Spec.Replicas = 3;

        var updated = await _client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "spec-only", "default");

        Assert.That(updated.Status?.Replicas, Is.Null);
        Assert.That(updated.Spec.Replicas, Is.EqualTo(3));
        Assert.That(updated.Metadata.Generation, Is.EqualTo(2));
    }

    [Test]
    public async Task Replace_ChangingOnlyLabels_KeepsGeneration()
    {
        var created = await _client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("labels-only"), "default");
        created.Metadata.Labels["extra"] = "yes";

        var updated = await _client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "labels-only", "default");

        Assert.That(updated.Metadata.Generation, Is.EqualTo(1));
    }

    [Test]
    public async Task Scale_ReadsAndWritesDeploymentReplicas()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("scaled", replicas: 2), "default");

        var scale = await _client.AppsV1.ReadNamespacedDeploymentScaleAsync("scaled", "default");
        scale.Spec.Replicas = 6;
        await _client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "scaled", "default");
        var deployment = await _client.AppsV1.ReadNamespacedDeploymentAsync("scaled", "default");

        Assert.That(scale.Status.Selector, Is.EqualTo("app=scaled"));
        Assert.That(deployment.Spec.Replicas, Is.EqualTo(6));
    }
}
