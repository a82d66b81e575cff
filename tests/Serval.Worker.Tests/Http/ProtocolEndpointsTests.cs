using System.Net;
using System.Text.Json.Nodes;
using Serval.SampleModels;
using Serval.Worker.Tests.Support;

namespace Serval.Worker.Tests.Http;

/// <summary>Health, metadata and infer endpoints of one worker serving the sample MLP.</summary>
public sealed class ProtocolEndpointsTests
{
    private TestWorker _worker = null!;

    [OneTimeSetUp]
    public async Task StartWorker() => _worker = await TestWorker.StartAsync(SampleModels.SampleModels.Mlp(), "mlp");

    [OneTimeTearDown]
    public async Task StopWorker() => await _worker.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path)
    {
        using var response = await _worker.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static string Json(JsonNode? node) => node?.ToJsonString() ?? "";

    [Test]
    public async Task HealthLive_Answers200Live()
    {
        var (status, body) = await GetAsync("v2/health/live");

        Assert.That((status, Json(body)), Is.EqualTo((HttpStatusCode.OK, """{"live":true}""")));
    }

    [Test]
    public async Task HealthReady_Answers200Ready()
    {
        var (status, body) = await GetAsync("v2/health/ready");

        Assert.That((status, Json(body)), Is.EqualTo((HttpStatusCode.OK, """{"ready":true}""")));
    }

    [Test]
    public async Task ServerMetadata_NamesTheServerAndTheBinaryExtension()
    {
        var (_, body) = await GetAsync("v2");

        Assert.That(((string?)body!["name"], body["extensions"]!.AsArray().Select(e => (string?)e)),
            Is.EqualTo(("serval-worker", new[] { "binary_tensor_data", "model_list" })));
    }

    [TestCase("v2/models/mlp")]
    [TestCase("v2/models/mlp/versions/1")]
    public async Task ModelMetadata_DescribesInputsAndOutputsWithDynamicDimensions(string path)
    {
        var (status, body) = await GetAsync(path);

        Assert.That((status, Json(body)), Is.EqualTo((HttpStatusCode.OK,
            """{"name":"mlp","versions":["1"],"platform":"onnxruntime_onnx","inputs":[{"name":"input","datatype":"FP32","shape":[-1,16]}],"outputs":[{"name":"output","datatype":"FP32","shape":[-1,4]}]}""")));
    }

    [Test]
    public async Task ModelReady_Answers200WithNameAndReady()
    {
        var (status, body) = await GetAsync("v2/models/mlp/ready");

        Assert.That((status, Json(body)), Is.EqualTo((HttpStatusCode.OK, """{"name":"mlp","ready":true}""")));
    }

    [Test]
    public async Task ModelList_ListsTheServedModel()
    {
        var (_, body) = await GetAsync("v2/models");

        Assert.That(Json(body), Is.EqualTo("""{"models":[{"name":"mlp","versions":["1"],"platform":"onnxruntime_onnx","state":"READY","ready":true}]}"""));
    }

    [TestCase("v2/models/other", "unknown model 'other'; this server serves 'mlp'")]
    [TestCase("v2/models/other/ready", "unknown model 'other'; this server serves 'mlp'")]
    [TestCase("v2/models/mlp/versions/2", "model 'mlp' has no version '2'; it serves version 1")]
    public async Task UnknownModelOrVersion_Answers404WithAnError(string path, string error)
    {
        var (status, body) = await GetAsync(path);

        Assert.That((status, (string?)body!["error"]), Is.EqualTo((HttpStatusCode.NotFound, error)));
    }

    [Test]
    public async Task UnknownPath_Answers404WithAnError()
    {
        var (status, body) = await GetAsync("v1/models");

        Assert.That((status, (string?)body!["error"]), Is.EqualTo((HttpStatusCode.NotFound, "no such endpoint: GET /v1/models")));
    }

    [Test]
    public async Task Infer_SampleRequest_EchoesIdAndEqualsADirectSessionCall()
    {
        var request = File.ReadAllText(RepositoryPaths.Combine("samples", "requests", "mlp.json"));
        var input = SampleRequests.Input();
        var expected = DirectSession.RunFloat(SampleModels.SampleModels.Mlp(), "input", input, [2, 16], "output");

        var body = await _worker.InferJsonAsync(request);
        var output = body["outputs"]![0]!;

        Assert.Multiple(() =>
        {
            Assert.That(((string?)body["id"], (string?)body["model_name"], (string?)body["model_version"]), Is.EqualTo(("mlp-sample", "mlp", "1")));
            Assert.That(((string?)output["name"], (string?)output["datatype"], output["shape"]!.ToJsonString()), Is.EqualTo(("output", "FP32", "[2,4]")));
            Assert.That(output["data"]!.AsArray().Select(v => (float)v!), Is.EqualTo(expected));
        });
    }

    [Test]
    public async Task Infer_VersionedPath_Answers()
    {
        var request = File.ReadAllText(RepositoryPaths.Combine("samples", "requests", "mlp.json"));

        using var response = await _worker.Client.PostAsync("v2/models/mlp/versions/1/infer", new StringContent(request));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Infer_NestedData_AnswersLikeFlatData()
    {
        var input = SampleRequests.Input();
        var rows = string.Join(",", Enumerable.Range(0, 2).Select(r => "[" + string.Join(",", input.Skip(r * 16).Take(16)) + "]"));

        var nested = await _worker.InferJsonAsync($$"""{"inputs":[{"name":"input","shape":[2,16],"datatype":"FP32","data":[{{rows}}]}]}""");
        var flat = await _worker.InferJsonAsync($$"""{"inputs":[{"name":"input","shape":[2,16],"datatype":"FP32","data":[{{string.Join(",", input)}}]}]}""");

        Assert.That(nested["outputs"]!.ToJsonString(), Is.EqualTo(flat["outputs"]!.ToJsonString()));
    }

    [Test]
    public async Task Infer_WrongDatatype_Answers400NamingInputExpectedAndActual()
    {
        using var response = await _worker.InferAsync("""{"inputs":[{"name":"input","shape":[1,16],"datatype":"INT64","data":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}]}""");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That((response.StatusCode, (string?)body["error"]), Is.EqualTo((HttpStatusCode.BadRequest, "input 'input': expected datatype FP32, got INT64")));
    }

    [Test]
    public async Task Infer_WrongShape_Answers400NamingInputExpectedAndActual()
    {
        using var response = await _worker.InferAsync("""{"inputs":[{"name":"input","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That((response.StatusCode, (string?)body["error"]), Is.EqualTo((HttpStatusCode.BadRequest, "input 'input': expected shape [-1, 16], got [1, 3]")));
    }
}
