using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Client;

/// <summary>Custom resources served from their CRD: schema admission, CEL, defaults, pruning, status, scale, removal.</summary>
[TestFixture]
public sealed class CustomResourceTests
{
    private const string Group = "test.serval.dev";
    private EmbeddedApiServer _server = null!;
    private Kubernetes _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions());
        _client = new Kubernetes(_server.ClientConfiguration());
        _server.ApplyManifests(TestData.Read("widgets-crd.yaml"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public void CreatingTheDefinition_ReportsItEstablished()
    {
        var crd = _server.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "widgets.test.serval.dev")!;

        var established = crd.At("status", "conditions")!.AsArray().First(c => c!["type"]!.GetValue<string>() == "Established");

        Assert.That(established!["status"]!.GetValue<string>(), Is.EqualTo("True"));
    }

    [Test]
    public async Task Create_AppliesSchemaDefaults()
    {
        var created = await CreateAsync("defaults", new JsonObject { ["model"] = "mlp" });

        Assert.That(created.At("spec", "tier")!.GetValue<string>(), Is.EqualTo("standard"));
        Assert.That(created.At("spec", "replicas")!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Create_PrunesUnknownFields()
    {
        var created = await CreateAsync("pruned", new JsonObject { ["model"] = "mlp", ["colour"] = "blue" });

        Assert.That(created.At("spec", "colour"), Is.Null);
    }

    [Test]
    public async Task Create_BreakingACelRule_IsInvalidWithTheRuleMessage()
    {
        var (code, status) = await ApiErrors.CatchAsync(() => CreateAsync("cel", new JsonObject { ["model"] = "mlp", ["replicas"] = 1, ["minReplicas"] = 2 }));

        Assert.That(code, Is.EqualTo(422));
        Assert.That(status["details"]!["causes"]![0]!["message"]!.GetValue<string>(), Does.Contain("spec.minReplicas must not exceed spec.replicas"));
        Assert.That(status["details"]!["causes"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("spec"));
    }

    [Test]
    public async Task Create_BreakingTheSchema_NamesTheField()
    {
        var (code, status) = await ApiErrors.CatchAsync(() => CreateAsync("enum", new JsonObject { ["model"] = "mlp", ["tier"] = "gold" }));

        Assert.That(code, Is.EqualTo(422));
        Assert.That(status["details"]!["causes"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("spec.tier"));
        Assert.That(status["details"]!["causes"]![0]!["reason"]!.GetValue<string>(), Is.EqualTo("FieldValueNotSupported"));
    }

    [Test]
    public async Task Replace_WithoutResourceVersion_IsInvalid()
    {
        var created = await CreateAsync("unconditional", new JsonObject { ["model"] = "mlp" });
        created.Metadata().Remove("resourceVersion");

        var (code, status) = await ApiErrors.CatchAsync(() =>
            _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(created, Group, "v1", "default", "widgets", "unconditional"));

        Assert.That(code, Is.EqualTo(422));
        Assert.That(status["message"]!.GetValue<string>(), Does.Contain("metadata.resourceVersion"));
    }

    [Test]
    public async Task StatusSubresource_SetsStatusWithoutBumpingGeneration()
    {
        var created = await CreateAsync("status", new JsonObject { ["model"] = "mlp" });
        created["status"] = new JsonObject { ["replicas"] = 1, ["observedGeneration"] = 1 };

        var updated = Parse(await _client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(created, Group, "v1", "default", "widgets", "status"));

        Assert.That(updated.At("status", "replicas")!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(updated.At("metadata", "generation")!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public async Task SpecChange_BumpsGeneration()
    {
        var created = await CreateAsync("generation", new JsonObject { ["model"] = "mlp" });
        created["spec"]!["model"] = "mlp-v2";

        var updated = Parse(await _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(created, Group, "v1", "default", "widgets", "generation"));

        Assert.That(updated.At("metadata", "generation")!.GetValue<long>(), Is.EqualTo(2));
    }

    [Test]
    public async Task ScaleSubresource_WritesSpecReplicasAndReadsTheSelector()
    {
        var created = await CreateAsync("scaled", new JsonObject { ["model"] = "mlp" });
        created["status"] = new JsonObject { ["replicas"] = 1, ["selector"] = "app=scaled" };
        await _client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(created, Group, "v1", "default", "widgets", "scaled");
        var patch = new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch);

        var scale = Parse(await _client.CustomObjects.PatchNamespacedCustomObjectScaleAsync(patch, Group, "v1", "default", "widgets", "scaled"));

        Assert.That(scale.At("spec", "replicas")!.GetValue<long>(), Is.EqualTo(4));
        Assert.That(scale.At("status", "selector")!.GetValue<string>(), Is.EqualTo("app=scaled"));
        Assert.That(_server.Get($"{Group}/v1", "Widget", "default", "scaled")!.At("spec", "replicas")!.GetValue<long>(), Is.EqualTo(4));
    }

    [Test]
    public async Task StrategicMergePatch_OnACustomResource_IsUnsupportedMediaType()
    {
        await CreateAsync("smp", new JsonObject { ["model"] = "mlp" });
        var patch = new V1Patch("{\"spec\":{\"replicas\":2}}", V1Patch.PatchType.StrategicMergePatch);

        var (code, _) = await ApiErrors.CatchAsync(() => _client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, Group, "v1", "default", "widgets", "smp"));

        Assert.That(code, Is.EqualTo(415));
    }

    [Test]
    public async Task DeletingTheDefinition_StopsServingItsResource()
    {
        var crd = TestData.Read("widgets-crd.yaml").Replace("widgets", "gadgets", StringComparison.Ordinal).Replace("Widget", "Gadget", StringComparison.Ordinal)
            .Replace("[wd]", "[gd]", StringComparison.Ordinal);
        _server.ApplyManifests(crd);
        _server.Create(new JsonObject
        {
            ["apiVersion"] = $"{Group}/v1", ["kind"] = "Gadget", ["metadata"] = new JsonObject { ["name"] = "g" }, ["spec"] = new JsonObject { ["model"] = "m" },
        });

        await _client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("gadgets.test.serval.dev");

        var (code, _) = await ApiErrors.CatchAsync(() => _client.CustomObjects.ListNamespacedCustomObjectAsync(Group, "v1", "default", "gadgets"));
        Assert.That(code, Is.EqualTo(404));
    }

    private async Task<JsonObject> CreateAsync(string name, JsonObject spec)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = $"{Group}/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
        return Parse(await _client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, "v1", "default", "widgets"));
    }

    private static JsonObject Parse(object result) => result switch
    {
        JsonElement element => JsonNode.Parse(element.GetRawText())!.AsObject(),
        JsonObject o => o,
        _ => JsonNode.Parse(JsonSerializer.Serialize(result))!.AsObject(),
    };
}
