using k8s.Models;
using Serval.Controllers.Events;
using Serval.Controllers.Kubernetes;
using Serval.LocalCluster;
using static Serval.Controllers.Tests.Integration.ServerFixture;

namespace Serval.Controllers.Tests.Integration;

/// <summary>The API seam, status writes and events against the embedded API server.</summary>
public sealed class ApiServerTests
{
    private EmbeddedApiServer _server = null!;
    private KubernetesApi _api = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await StartAsync();
        _api = Api(_server);
    }

    [TearDown]
    public async Task TearDown()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    private static V1Deployment Deployment() => new()
    {
        Metadata = new V1ObjectMeta { Name = "resnet", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "resnet" } },
        Spec = new V1DeploymentSpec
        {
            Replicas = 2,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "resnet" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "resnet" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "worker", Image = "serval-worker" }] },
            },
        },
    };

    [Test]
    public async Task ApplyThenApplyStatus_WritesSpecAndStatusSeparately()
    {
        var applied = await _api.ApplyAsync(Deployment(), CancellationToken.None);
        applied.Status = new V1DeploymentStatus { ReadyReplicas = 2, Replicas = 2 };
        applied.Spec.Replicas = 9;

        await _api.ApplyStatusAsync(applied, CancellationToken.None);

        var stored = (await _api.GetAsync<V1Deployment>("default", "resnet", CancellationToken.None))!;
        Assert.That((stored.Spec.Replicas, stored.Status?.ReadyReplicas), Is.EqualTo(((int?)2, (int?)2)), "the status write leaves spec alone");
        Assert.That(_server.Requests.Count(r => r.Verb == "patch" && r.Subresource == "status" && r.FieldManager == "serval-operator"), Is.EqualTo(1));
    }

    [Test]
    public async Task ApplyTwice_SecondApplyChangesNothingButSucceeds()
    {
        var first = await _api.ApplyAsync(Deployment(), CancellationToken.None);
        var second = await _api.ApplyAsync(Deployment(), CancellationToken.None);

        Assert.That(second.Metadata.ResourceVersion, Is.EqualTo(first.Metadata.ResourceVersion));
    }

    [Test]
    public async Task ListAsync_Pages_CoverEveryObjectOnce()
    {
        for (var i = 0; i < 7; i++)
        {
            await _api.CreateAsync(ConfigMap($"cm-{i}"), CancellationToken.None);
        }

        var names = new List<string>();
        string? next = null;
        do
        {
            var page = await _api.ListAsync<V1ConfigMap>("default", new ListOptions { Limit = 3, Continue = next }, CancellationToken.None);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            next = page.Continue;
        }
        while (next is not null);

        Assert.That(names.Where(n => n.StartsWith("cm-", StringComparison.Ordinal)), Is.EquivalentTo(Enumerable.Range(0, 7).Select(i => $"cm-{i}")));
    }

    [Test]
    public async Task DeleteAsync_Twice_SecondReportsAlreadyGone()
    {
        await _api.CreateAsync(ConfigMap("x"), CancellationToken.None);

        Assert.That(await _api.DeleteAsync<V1ConfigMap>("default", "x", CancellationToken.None), Is.True);
        Assert.That(await _api.DeleteAsync<V1ConfigMap>("default", "x", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task EventRecorder_Repeats_BecomeOneEventWithASeries()
    {
        var deployment = await _api.ApplyAsync(Deployment(), CancellationToken.None);
        var recorder = new EventRecorder(_api);

        for (var i = 0; i < 3; i++)
        {
            await recorder.WarningAsync(deployment, "ProbeFailed", "Probe", "worker not ready", CancellationToken.None);
        }

        var events = await _api.ListAsync<Eventsv1Event>("default", new ListOptions(), CancellationToken.None);
        var single = events.Items.Single();
        Assert.That((single.Reason, single.Series?.Count, single.Regarding.Name), Is.EqualTo(("ProbeFailed", 3, "resnet")));
    }
}
