using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Server;

/// <summary>Discovery, OpenAPI v3, health and Table documents over plain HTTP.</summary>
[TestFixture]
public sealed class DiscoveryTests
{
    private EmbeddedApiServer _server = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions());
        _server.ApplyManifests(TestData.Read("widgets-crd.yaml"));
        _http = new HttpClient { BaseAddress = _server.Url };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [TestCase("/healthz")]
    [TestCase("/readyz")]
    [TestCase("/livez")]
    public async Task HealthEndpoints_AnswerOk(string path)
    {
        Assert.That(await _http.GetStringAsync(path), Is.EqualTo("ok"));
    }

    [Test]
    public async Task Version_ReportsKubernetes132()
    {
        var version = await GetAsync("/version");

        Assert.That(version["gitVersion"]!.GetValue<string>(), Is.EqualTo("v1.32.0"));
    }

    [Test]
    public async Task Apis_ListsBuiltInAndCustomGroups()
    {
        var groups = (await GetAsync("/apis"))["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ToList();

        Assert.That(groups, Does.Contain("apps").And.Contain("autoscaling").And.Contain("policy").And.Contain("test.serval.dev"));
    }

    [Test]
    public async Task ResourceList_DescribesSubresources()
    {
        var resources = (await GetAsync("/apis/test.serval.dev/v1"))["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>());

        Assert.That(resources, Is.EqualTo(new[] { "widgets", "widgets/status", "widgets/scale" }));
    }

    [Test]
    public async Task Apis_AskedForAggregatedDiscovery_AnswersEveryGroupInOneDocument()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis");
        request.Headers.Accept.ParseAdd("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");

        using var response = await _http.SendAsync(request);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var widgets = document["items"]!.AsArray().Single(g => g!["metadata"]!["name"]!.GetValue<string>() == "test.serval.dev")!["versions"]![0]!["resources"]![0]!;

        Assert.That(response.Content.Headers.ContentType!.ToString(), Does.Contain("as=APIGroupDiscoveryList"));
        Assert.That(widgets["resource"]!.GetValue<string>(), Is.EqualTo("widgets"));
        Assert.That(widgets["subresources"]!.AsArray().Select(s => s!["subresource"]!.GetValue<string>()), Is.EqualTo(new[] { "status", "scale" }));
    }

    [Test]
    public async Task OpenApiV3_PatchOperationsAdvertiseFieldValidation()
    {
        var index = await GetAsync("/openapi/v3");
        var url = index["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!.GetValue<string>();
        var document = await GetAsync(url);

        var patch = document["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.That(patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>(), Is.EqualTo("Deployment"));
        Assert.That(patch["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()), Does.Contain("fieldValidation"));
    }

    [Test]
    public async Task OpenApiV3_CustomResourceCarriesItsSchema()
    {
        var document = await GetAsync((await GetAsync("/openapi/v3"))["paths"]!["apis/test.serval.dev/v1"]!["serverRelativeURL"]!.GetValue<string>());

        var schema = document["components"]!["schemas"]!["dev.serval.test.v1.Widget"]!;
        Assert.That(schema["properties"]!["spec"]!["required"]![0]!.GetValue<string>(), Is.EqualTo("model"));
    }

    [Test]
    public async Task UnknownPath_IsNotFoundStatus()
    {
        using var response = await _http.GetAsync("/apis/nothing.example.com/v1/things");
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That((int)response.StatusCode, Is.EqualTo(404));
        Assert.That(status["kind"]!.GetValue<string>(), Is.EqualTo("Status"));
    }

    [Test]
    public async Task List_AsTable_HasTheCrdColumns()
    {
        _server.Create(new JsonObject
        {
            ["apiVersion"] = "test.serval.dev/v1", ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "tabled" }, ["spec"] = new JsonObject { ["model"] = "mlp", ["replicas"] = 3 },
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis/test.serval.dev/v1/namespaces/default/widgets");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));

        using var response = await _http.SendAsync(request);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "Name", "Model", "Replicas", "Ready", "Age" }));
        Assert.That(table["rows"]![0]!["cells"]![2]!.GetValue<int>(), Is.EqualTo(3));
    }

    private async Task<JsonObject> GetAsync(string path) => JsonNode.Parse(await _http.GetStringAsync(path))!.AsObject();
}
