using System.Text.Json.Nodes;
using k8s;

namespace Serval.LocalCluster.Tests.Server;

/// <summary>A state directory keeps objects (custom resources included) across a restart.</summary>
[TestFixture]
public sealed class PersistenceTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("serval-state-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Restart_KeepsObjectsAndCustomResources()
    {
        long before;
        await using (var first = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { StateDirectory = _directory }))
        {
            first.ApplyManifests(TestSupport.TestData.Read("widgets-crd.yaml"));
            first.ApplyManifests(TestSupport.TestData.Read("widgets/alpha.yaml"));
            first.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "kept" } });
            before = first.ResourceVersion;
        }

        await using var second = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { StateDirectory = _directory });
        using var client = new Kubernetes(second.ClientConfiguration());

        var cm = await client.CoreV1.ReadNamespacedConfigMapAsync("kept", "default");
        var widget = second.Get("test.serval.dev/v1", "Widget", "default", "alpha");
        Assert.That(cm.Metadata.Name, Is.EqualTo("kept"));
        Assert.That(widget?["spec"]?["model"]?.GetValue<string>(), Is.EqualTo("mlp"));
        Assert.That(second.ResourceVersion, Is.GreaterThanOrEqualTo(before));
    }

    [Test]
    public async Task Restart_ContinuesResourceVersionsUpward()
    {
        long before;
        await using (var first = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { StateDirectory = _directory }))
        {
            first.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "a" } });
            before = first.ResourceVersion;
        }

        await using var second = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { StateDirectory = _directory });
        var created = second.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "b" } });

        Assert.That(long.Parse(created["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(before));
    }
}
