using System.Text.Json.Nodes;
using Serval.EndToEnd.Tests.TestSupport;
using Serval.Operator.Local;

namespace Serval.EndToEnd.Tests;

/// <summary>
/// The whole system in one process, as <c>serval-operator local</c> runs it: the embedded API server, the local
/// controllers running real serval-worker processes, the proxy and the operator; driven with the real kubectl.
/// </summary>
[TestFixture]
public sealed class LocalModeTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private string _state = null!;
    private LocalMode _local = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _state = Directory.CreateTempSubdirectory("serval-e2e-").FullName;
        _local = await LocalMode.StartAsync(new LocalModeOptions { StateDirectory = _state }, CancellationToken.None);
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        OperatorRequests.Record(_local.Server.Requests.Snapshot());
        await _local.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }

    private JsonObject? Isvc(string name) => _local.Server.Get("serving.serval.dev/v1alpha1", "InferenceService", "default", name);

    private static bool IsReady(JsonObject? isvc) =>
        isvc?["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");

    private Task<JsonObject?> WaitReadyAsync(string name) =>
        Eventually.ValueAsync(() => Isvc(name), IsReady, $"InferenceService {name} Ready", ReadyTimeout);

    private IReadOnlyList<JsonObject> Deployments(string isvc) =>
        [.. _local.Server.List("apps/v1", "Deployment", "default")
            .Where(d => d["metadata"]?["labels"]?["serval.dev/inferenceservice"]?.GetValue<string>() == isvc)];

    [Test]
    public async Task KubectlApplyOfTheQuickstart_BecomesReadyWithAUrl_ThatAnswersV2Requests()
    {
        await Kubectl.RunAsync(_local.Kubeconfig, "apply", "-f", Samples.Quickstart);

        await WaitReadyAsync("mlp");
        var url = await Kubectl.RunAsync(_local.Kubeconfig, "get", "sisvc", "mlp", "-o", "jsonpath={.status.url}");
        var answers = new List<(int Status, JsonNode? Body)>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await Samples.InferAsync(_http, url, "mlp"));
        }

        Assert.That(url, Is.EqualTo(_local.UrlOf("default", "mlp").GetLeftPart(UriPartial.Authority)));
        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(200), string.Join('\n', answers.Select(a => a.Body?.ToJsonString())));
        Assert.That(answers[0].Body!["outputs"]![0]!["shape"]!.AsArray().Select(n => n!.GetValue<int>()), Is.EqualTo(new[] { 2, 4 }));
    }

    [Test]
    public async Task KubectlDelete_StopsEveryWorkerProcess()
    {
        await Kubectl.RunAsync(_local.Kubeconfig, "apply", "-f", Samples.Quickstart);
        await WaitReadyAsync("mlp");
        var running = WorkerProcesses.Of(_state);

        await Kubectl.RunAsync(_local.Kubeconfig, "delete", "-f", Samples.Quickstart);

        Assert.That(running, Is.Not.Empty, "a worker process ran while the service was Ready");
        await Eventually.ValueAsync(() => WorkerProcesses.Of(_state), p => p.Count == 0, "every worker process to exit", TimeSpan.FromSeconds(30));
        await Eventually.ValueAsync(
            () => string.Join("; ", _local.Server.List("v1", "Pod", "default").Select(p => p["metadata"]!.ToJsonString() + " " + p["status"]?["phase"])),
            pods => pods.Length == 0,
            "every pod to be deleted",
            TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task OperatorRestartedBeforeTheServiceIsReady_Converges()
    {
        _local.Server.ApplyManifests(await File.ReadAllTextAsync(Samples.Quickstart), "kubectl");
        await Eventually.ValueAsync(() => Deployments("mlp").Count, n => n > 0, "the operator to create a Deployment", ReadyTimeout);

        await _local.RestartOperatorAsync(CancellationToken.None);
        var isvc = await WaitReadyAsync("mlp");
        var answer = await Samples.InferAsync(_http, isvc!["status"]!["url"]!.GetValue<string>(), "mlp");

        Assert.That(answer.Status, Is.EqualTo(200), answer.Body?.ToJsonString());
        Assert.That(Deployments("mlp"), Has.Count.EqualTo(1), "the restarted operator adopted the revision instead of making another");
        Assert.That(isvc["status"]!["observedGeneration"]!.GetValue<long>(), Is.EqualTo(isvc["metadata"]!["generation"]!.GetValue<long>()));
    }
}
