using System.Text.Json.Nodes;
using Serval.EndToEnd.Tests.TestSupport;

namespace Serval.EndToEnd.Tests;

/// <summary>
/// The whole system in one process, as <c>serval-operator local</c> runs it: the embedded API server, the local
/// controllers running real serval-worker processes, the proxy and the operator; driven with the real kubectl.
/// </summary>
[TestFixture]
public sealed class LocalModeTests : LocalModeFixture
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);



    private JsonObject? Isvc(string name) => Local.Server.Get("serving.serval.dev/v1alpha1", "InferenceService", "default", name);

    private static bool IsReady(JsonObject? isvc) =>
        isvc?["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");

    private Task<JsonObject?> WaitReadyAsync(string name) =>
        Eventually.ValueAsync(() => Isvc(name), IsReady, $"InferenceService {name} Ready", ReadyTimeout);

    private IReadOnlyList<JsonObject> Deployments(string isvc) =>
        [.. Local.Server.List("apps/v1", "Deployment", "default")
            .Where(d => d["metadata"]?["labels"]?["serval.dev/inferenceservice"]?.GetValue<string>() == isvc)];

    [Test]
    public async Task KubectlApplyOfTheQuickstart_BecomesReadyWithAUrl_ThatAnswersV2Requests()
    {
        await Kubectl.RunAsync(Local.Kubeconfig, "apply", "-f", Samples.Quickstart);

        await WaitReadyAsync("mlp");
        var url = await Kubectl.RunAsync(Local.Kubeconfig, "get", "sisvc", "mlp", "-o", "jsonpath={.status.url}");
        var answers = new List<(int Status, JsonNode? Body)>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await Samples.InferAsync(Http, url, "mlp"));
        }

        Assert.That(url, Is.EqualTo(Local.UrlOf("default", "mlp").GetLeftPart(UriPartial.Authority)));
        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(200), string.Join('\n', answers.Select(a => a.Body?.ToJsonString())));
        Assert.That(answers[0].Body!["outputs"]![0]!["shape"]!.AsArray().Select(n => n!.GetValue<int>()), Is.EqualTo(new[] { 2, 4 }));
    }

    [Test]
    public async Task KubectlDelete_StopsEveryWorkerProcess()
    {
        await Kubectl.RunAsync(Local.Kubeconfig, "apply", "-f", Samples.Quickstart);
        await WaitReadyAsync("mlp");
        var running = WorkerProcesses.Of(State);

        await Kubectl.RunAsync(Local.Kubeconfig, "delete", "-f", Samples.Quickstart);

        Assert.That(running, Is.Not.Empty, "a worker process ran while the service was Ready");
        await Eventually.ValueAsync(() => WorkerProcesses.Of(State), p => p.Count == 0, "every worker process to exit", TimeSpan.FromSeconds(30));
        await Eventually.ValueAsync(
            () => string.Join("; ", Local.Server.List("v1", "Pod", "default").Select(p => p["metadata"]!.ToJsonString() + " " + p["status"]?["phase"])),
            pods => pods.Length == 0,
            "every pod to be deleted",
            TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task OperatorRestartedBeforeTheServiceIsReady_Converges()
    {
        Local.Server.ApplyManifests(await File.ReadAllTextAsync(Samples.Quickstart), "kubectl");
        await Eventually.ValueAsync(() => Deployments("mlp").Count, n => n > 0, "the operator to create a Deployment", ReadyTimeout);

        await Local.RestartOperatorAsync(CancellationToken.None);
        var isvc = await WaitReadyAsync("mlp");
        var answer = await Samples.InferAsync(Http, isvc!["status"]!["url"]!.GetValue<string>(), "mlp");

        Assert.That(answer.Status, Is.EqualTo(200), answer.Body?.ToJsonString());
        Assert.That(Deployments("mlp"), Has.Count.EqualTo(1), "the restarted operator adopted the revision instead of making another");
        Assert.That(isvc["status"]!["observedGeneration"]!.GetValue<long>(), Is.EqualTo(isvc["metadata"]!["generation"]!.GetValue<long>()));
    }
}
