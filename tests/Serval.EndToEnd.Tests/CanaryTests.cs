using System.Text.Json.Nodes;
using Serval.EndToEnd.Tests.TestSupport;

namespace Serval.EndToEnd.Tests;

/// <summary>
/// Canary rollouts in local mode, driven as a user drives them: <c>kubectl apply</c> of samples/canary.yaml, then a
/// new model URI applied while requests flow to status.url, with status read back to follow the rollout.
/// </summary>
[TestFixture]
public sealed class CanaryTests : LocalModeFixture
{
    private const string Name = "mlp-canary";
    private const string Model = "mlp";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private int _manifests;


    [Test]
    public async Task WrongModel_IsRefusedByTheSmokeTestBeforeTraffic_AndStableServesEveryRequest()
    {
        var url = await StartStableAsync(rollout: null);
        var stableRevision = StableRevision(Isvc());
        var reference = await ReferenceOutputAsync(url);
        await KubectlApplyAsync(ModelsConfigMap("mlp-wrong-models", "mlp-wrong.onnx"));
        var seen = new List<JsonObject>();

        await using (var load = RequestLoad.Start(Http, url, Model))
        {
            await KubectlApplyAsync(InferenceService(spec => spec["model"]!["uri"] = "configmap://mlp-wrong-models/mlp-wrong.onnx"));
            await Eventually.ValueAsync(
                () => Record(seen, Isvc()),
                isvc => Canary(isvc)?["phase"]?.GetValue<string>() is "Failed" or "RolledBack" or "Promoted",
                "the canary to mlp-wrong to end",
                Timeout);
            await load.AtLeastAsync(20, Timeout);
            var answers = await load.StopAsync();

            Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(200),
                $"{answers.Count(a => a.Status != 200)} of {answers.Count} requests failed during the rollout");
            Assert.That(answers.Where(a => !SameOutput(a.Output, reference)).ToList(), Is.Empty,
                "every answer during the rollout came from the stable revision (mlp), none from mlp-wrong");
        }

        var refused = Isvc();
        var canary = Canary(refused)!;
        Assert.That(canary["phase"]!.GetValue<string>(), Is.EqualTo("Failed"), canary.ToJsonString());
        Assert.That(canary["message"]!.GetValue<string>(), Does.StartWith("smoke test failed: ").And.Contain("output output value ["), canary.ToJsonString());
        Assert.That(Condition(refused, "RolloutHealthy")?["reason"]?.GetValue<string>(), Is.EqualTo("SmokeTestFailed"));
        Assert.That(StableRevision(refused), Is.EqualTo(stableRevision), "the stable revision stays");
        Assert.That(seen.Select(s => Canary(s)?["trafficPercent"]?.GetValue<int>() ?? 0), Is.All.EqualTo(0),
            "the refused revision never had a share of the traffic in status");
        var wrong = canary["name"]!.GetValue<string>();
        await Eventually.ValueAsync(
            () => DeploymentReplicas(wrong),
            replicas => replicas is null or 0,
            $"the refused revision's Deployment {wrong} to be removed or scaled to zero",
            Timeout);
        await Eventually.ValueAsync(() => Pods(wrong).Count, n => n == 0, $"the pods of {wrong} to go", Timeout);
    }

    /// <summary>
    /// Steps of 25 and 50 % held 2 s each, analysis over at least 10 requests with 2 failed checks to roll back, and
    /// an absolute p95 limit of 5 s that only a hung model would reach.
    /// </summary>
    private static void ShortSteps(JsonObject rollout, int? maxLatencyIncreasePercent)
    {
        rollout["steps"] = new JsonArray(25, 50);
        rollout["stepIntervalSeconds"] = 2;
        rollout["progressDeadlineSeconds"] = 60;
        var analysis = new JsonObject
        {
            ["maxErrorRatePercent"] = 1,
            ["maxLatencyP95Milliseconds"] = 5000,
            ["minRequests"] = 10,
            ["failureThreshold"] = 2,
        };
        if (maxLatencyIncreasePercent is { } increase)
        {
            analysis["maxLatencyP95IncreasePercent"] = increase;
        }

        rollout["analysis"] = analysis;
    }

    [Test]
    public async Task CloseGoodModel_GoesThroughTheSteps_AndIsPromoted_WhileEveryRequestSucceeds()
    {
        // Latency is not what this test is about: a loaded 2-core machine must not roll a good model back.
        var url = await StartStableAsync(rollout => ShortSteps(rollout, maxLatencyIncreasePercent: null));
        var oldRevision = StableRevision(Isvc())!;
        var reference = await ReferenceOutputAsync(url);
        var seen = new List<JsonObject>();

        List<Answer> answers;
        await using (var load = RequestLoad.Start(Http, url, Model))
        {
            await KubectlApplyAsync(InferenceService(spec => spec["model"]!["uri"] = "configmap://mlp-canary-models/mlp-v2.onnx"));
            var canaryName = (await Eventually.ValueAsync(
                () => Record(seen, Isvc()),
                isvc => Canary(isvc)?["name"] is not null,
                "the canary to start",
                Timeout))["status"]!["canaryRevision"]!["name"]!.GetValue<string>();
            var done = await Eventually.ValueAsync(
                () => Record(seen, Isvc()),
                isvc => StableRevision(isvc) == canaryName || Canary(isvc)?["phase"]?.GetValue<string>() is "Failed" or "RolledBack",
                $"{canaryName} to be promoted",
                Timeout);
            Assert.That(StableRevision(done), Is.EqualTo(canaryName), Canary(done)?.ToJsonString());
            await Eventually.ValueAsync(() => Deployments().Count, n => n == 1, $"the old revision {oldRevision} to be removed", Timeout);
            await Eventually.ValueAsync(() => Pods(oldRevision).Count, n => n == 0, $"the pods of {oldRevision} to go", Timeout);
            answers = await load.StopAsync();
        }

        var promoted = Isvc();
        var newRevision = StableRevision(promoted);
        await TestContext.Out.WriteLineAsync($"{answers.Count} answers; {promoted["status"]!["rolloutHistory"]![0]!.ToJsonString()}");
        var steps = seen.Select(Canary).OfType<JsonObject>()
            .Where(c => c["name"]?.GetValue<string>() == newRevision && c["phase"]?.GetValue<string>() == "Progressing")
            .Select(c => (Step: c["step"]?.GetValue<int>() ?? 0, Traffic: c["trafficPercent"]?.GetValue<int>() ?? 0))
            .Distinct()
            .ToList();
        await TestContext.Out.WriteLineAsync($"(step, traffic %) seen: {string.Join(", ", steps)}");
        Assert.That(steps.Where(s => s.Step >= 1 && s.Traffic is > 0 and < 100), Is.Not.Empty,
            $"status showed an intermediate traffic step; seen (step, traffic): {string.Join(", ", steps)}");
        Assert.That(steps.Where(s => s.Step >= 1 && s.Traffic == 0), Is.Empty,
            $"once it had traffic the canary kept a share, also while a later step added pods; seen (step, traffic): {string.Join(", ", steps)}");
        Assert.That(answers, Has.Count.GreaterThan(0));
        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(200),
            $"{answers.Count(a => a.Status != 200)} of {answers.Count} requests failed during the rollout");
        Assert.That(promoted["status"]!["rolloutHistory"]![0]!["outcome"]!.GetValue<string>(), Is.EqualTo("Promoted"));
        Assert.That(Deployments().Select(d => d["metadata"]!["name"]!.GetValue<string>()), Is.EqualTo(new[] { newRevision }));
        var after = await Samples.InferAsync(Http, url, Model);
        Assert.That(after.Status, Is.EqualTo(200));
        Assert.That(SameOutput(Answer.OutputOf(after.Body), reference), Is.False, "after promotion mlp-v2 answers, not mlp");
    }

    [Test]
    public async Task SlowModel_IsRolledBackOnLatency_WhileStableKeepsItsPodsAndEveryRequestSucceeds()
    {
        // Judged against the stable revision measured at the same time, so a loaded machine slows both alike;
        // mlp-slow adds tens of milliseconds of work to answers that take a few.
        var url = await StartStableAsync(rollout => ShortSteps(rollout, maxLatencyIncreasePercent: 200));
        var stableRevision = StableRevision(Isvc());
        var reference = await ReferenceOutputAsync(url);
        await KubectlApplyAsync(ModelsConfigMap("mlp-slow-models", "mlp-slow.onnx"));
        var seen = new List<JsonObject>();

        List<Answer> answers;
        await using (var load = RequestLoad.Start(Http, url, Model))
        {
            await KubectlApplyAsync(InferenceService(spec => spec["model"]!["uri"] = "configmap://mlp-slow-models/mlp-slow.onnx"));
            await Eventually.ValueAsync(
                () => Record(seen, Isvc()),
                isvc => Canary(isvc)?["phase"]?.GetValue<string>() is "Failed" or "RolledBack" || StableRevision(isvc) != stableRevision,
                "the canary to mlp-slow to end",
                Timeout);
            answers = await load.StopAsync();
        }

        var rolledBack = Isvc();
        var canary = Canary(rolledBack)!;
        await TestContext.Out.WriteLineAsync($"{answers.Count} answers; {canary.ToJsonString()}");
        Assert.That(StableRevision(rolledBack), Is.EqualTo(stableRevision), "the slow revision was not promoted");
        Assert.That(canary["phase"]!.GetValue<string>(), Is.EqualTo("RolledBack"), canary.ToJsonString());
        Assert.That(canary["message"]!.GetValue<string>(), Does.Contain("failed checks").And.Contain("p95"), canary.ToJsonString());
        Assert.That(Condition(rolledBack, "RolloutHealthy")?["reason"]?.GetValue<string>(), Is.EqualTo("AnalysisFailed"));
        Assert.That(seen.Select(Canary).OfType<JsonObject>().Select(c => c["trafficPercent"]?.GetValue<int>() ?? 0), Has.Some.GreaterThan(0),
            "the slow revision passed the smoke test (same answers) and had traffic before it was judged");
        Assert.That(seen.Select(s => s["status"]?["stableRevision"]?["readyReplicas"]?.GetValue<int>() ?? 0), Is.All.GreaterThanOrEqualTo(2),
            "the stable revision kept its two ready pods throughout");
        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(200),
            $"{answers.Count(a => a.Status != 200)} of {answers.Count} requests failed during the rollout");
        Assert.That(answers.Where(a => !SameOutput(a.Output, reference)).ToList(), Is.Empty, "mlp-slow answers as mlp does, only later");
        var slow = canary["name"]!.GetValue<string>();
        await Eventually.ValueAsync(() => DeploymentReplicas(slow), r => r is null or 0, $"{slow} to be scaled to zero", Timeout);
        await Eventually.ValueAsync(() => Pods(slow).Count, n => n == 0, $"the pods of {slow} to go", Timeout);
        var after = await Samples.InferAsync(Http, url, Model);
        Assert.That(after.Status, Is.EqualTo(200));
    }

    /// <summary>
    /// kubectl apply of samples/canary.yaml (two stable pods), then, when <paramref name="rollout"/> is given, of the
    /// same InferenceService with its rollout settings changed (they do not make a new revision); returns status.url
    /// once Ready.
    /// </summary>
    private async Task<string> StartStableAsync(Action<JsonObject>? rollout)
    {
        await Kubectl.RunAsync(Local.Kubeconfig, "apply", "-f", Repository.File("samples/canary.yaml"));
        if (rollout is not null)
        {
            await KubectlApplyAsync(InferenceService(spec => rollout(spec["rollout"]!.AsObject())));
        }

        var ready = await Eventually.ValueAsync(
            Isvc,
            isvc => Condition(isvc, "Ready")?["status"]?.GetValue<string>() == "True" && StableRevision(isvc) is not null
                && isvc["status"]?["url"] is not null,
            $"{Name} Ready with a URL",
            Timeout);
        return ready["status"]!["url"]!.GetValue<string>();
    }

    private JsonObject InferenceService(Action<JsonObject> change)
    {
        var spec = Isvc()["spec"]!.DeepClone().AsObject();
        change(spec);
        return Document(spec);
    }

    private static JsonObject Document(JsonObject spec) => new()
    {
        ["apiVersion"] = "serving.serval.dev/v1alpha1",
        ["kind"] = "InferenceService",
        ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = "default" },
        ["spec"] = spec,
    };

    private static JsonObject ModelsConfigMap(string name, string model) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["binaryData"] = new JsonObject
        {
            [model] = Convert.ToBase64String(File.ReadAllBytes(Repository.File($"samples/models/{model}"))),
        },
    };

    /// <summary>Writes the object to a file (JSON is YAML) and applies it with kubectl, as a user would.</summary>
    private async Task KubectlApplyAsync(JsonObject manifest)
    {
        var path = Path.Combine(State, $"manifest-{++_manifests}.json");
        await File.WriteAllTextAsync(path, manifest.ToJsonString());
        await Kubectl.RunAsync(Local.Kubeconfig, "apply", "-f", path);
    }

    private async Task<double[]> ReferenceOutputAsync(string url)
    {
        var answer = await Samples.InferAsync(Http, url, Model);
        Assert.That(answer.Status, Is.EqualTo(200), answer.Body?.ToJsonString());
        return Answer.OutputOf(answer.Body)!;
    }

    private JsonObject Isvc() => Local.Server.Get("serving.serval.dev/v1alpha1", "InferenceService", "default", Name)!;

    private static JsonObject Record(List<JsonObject> seen, JsonObject isvc)
    {
        seen.Add(isvc);
        return isvc;
    }

    private static JsonObject? Canary(JsonObject isvc) => isvc["status"]?["canaryRevision"] as JsonObject;

    private static string? StableRevision(JsonObject isvc) => isvc["status"]?["stableRevision"]?["name"]?.GetValue<string>();

    private static JsonNode? Condition(JsonObject isvc, string type) =>
        (isvc["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => c?["type"]?.GetValue<string>() == type);

    private IReadOnlyList<JsonObject> Deployments() =>
        [.. Local.Server.List("apps/v1", "Deployment", "default")
            .Where(d => d["metadata"]?["labels"]?["serval.dev/inferenceservice"]?.GetValue<string>() == Name)];

    private int? DeploymentReplicas(string revision) =>
        Local.Server.Get("apps/v1", "Deployment", "default", revision) is { } deployment
            ? deployment["spec"]?["replicas"]?.GetValue<int>() ?? 1
            : null;

    private IReadOnlyList<JsonObject> Pods(string revision) =>
        [.. Local.Server.List("v1", "Pod", "default")
            .Where(p => $"{Name}-{p["metadata"]?["labels"]?["serval.dev/revision"]?.GetValue<string>()}" == revision)];

    /// <summary>Whether two answers are the same model's (the sample models differ by far more than float noise).</summary>
    private static bool SameOutput(double[]? a, double[] reference) =>
        a is not null && a.Length == reference.Length && a.Zip(reference).All(p => Math.Abs(p.First - p.Second) < 1e-4);
}
