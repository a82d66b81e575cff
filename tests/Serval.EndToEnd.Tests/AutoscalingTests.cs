using System.Text.Json.Nodes;
using Serval.EndToEnd.Tests.TestSupport;
using Serval.Operator.Local;

namespace Serval.EndToEnd.Tests;

/// <summary>
/// Autoscaling through the path a cluster uses: workers report, the operator decides and serves the decision as an
/// external metric, the API server's aggregation layer proxies it, the HPA controller reads it and scales the
/// Deployment. The windows are shortened (stable 10 s, panic 3 s) so a load step and its end fit in a test.
/// </summary>
[TestFixture]
public sealed class AutoscalingTests : LocalModeFixture
{
    private const string Name = "mlp-scaling";
    protected override void Configure(LocalModeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ConfigureAutoscaling = o =>
        {
            o.ScrapeInterval = TimeSpan.FromSeconds(1);
            o.ScrapeTimeout = TimeSpan.FromSeconds(1);
            o.StableWindow = TimeSpan.FromSeconds(10);
            o.PanicWindow = TimeSpan.FromSeconds(3);
        };
        options.ConfigureControllers = o => o.HorizontalPodAutoscalerSyncPeriod = TimeSpan.FromSeconds(2);
    }

    private int DeploymentReplicas() =>
        Local.Server.List("apps/v1", "Deployment", "default")
            .Where(d => d["metadata"]?["labels"]?["serval.dev/inferenceservice"]?.GetValue<string>() == Name)
            .Sum(d => d["spec"]?["replicas"]?.GetValue<int>() ?? 0);

    /// <summary>The replicas, with what led to them (for the message when a wait times out).</summary>
    private Scaling Observe() => new(
        DeploymentReplicas(),
        $"hpa status: {string.Join(' ', Local.Server.List("autoscaling/v2", "HorizontalPodAutoscaler", "default").Select(h => h["status"]?.ToJsonString()))}; "
        + $"isvc status.autoscaling: {Isvc()?["status"]?["autoscaling"]?.ToJsonString()}; status.metrics: {Isvc()?["status"]?["metrics"]?.ToJsonString()}");

    private JsonObject? Isvc() => Local.Server.Get("serving.serval.dev/v1alpha1", "InferenceService", "default", Name);

    [Test]
    public async Task LoadUp_ScalesOut_WithTheHpaReadingTheSameDecision_AndLoadGone_ScalesBackAfterTheDelay()
    {
        Local.Server.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "mlp-slow-model", ["namespace"] = "default" },
            ["binaryData"] = new JsonObject { ["mlp-slow.onnx"] = Convert.ToBase64String(await File.ReadAllBytesAsync(Repository.File("samples/models/mlp-slow.onnx"))) },
        }, "kubectl");
        var manifest = Path.Combine(State, "scaling.yaml");
        await File.WriteAllTextAsync(manifest, $"""
            apiVersion: serving.serval.dev/v1alpha1
            kind: InferenceService
            metadata:
              name: {Name}
            spec:
              model:
                uri: configmap://mlp-slow-model/mlp-slow.onnx
                name: mlp
              runtime:
                intraOpThreads: 1
              batching:
                maxBatchSize: 1
              autoscaling:
                minReplicas: 1
                maxReplicas: 3
                metric: Concurrency
                target: 2
                scaleDownDelaySeconds: 5
              rollout:
                strategy: Immediate
            """);
        await Kubectl.RunAsync(Local.Kubeconfig, "apply", "-f", manifest);
        var ready = await Eventually.ValueAsync(
            Isvc,
            i => i?["status"]?["conditions"] is JsonArray c && c.Any(x => x?["type"]?.GetValue<string>() == "Ready" && x["status"]?.GetValue<string>() == "True"),
            $"{Name} Ready",
            TimeSpan.FromSeconds(90));
        var url = ready!["status"]!["url"]!.GetValue<string>();
        Assert.That(DeploymentReplicas(), Is.EqualTo(1), "idle: minReplicas");

        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            var statuses = new List<int>();
            while (!stop.IsCancellationRequested)
            {
                statuses.Add((await Samples.InferAsync(Http, url, "mlp")).Status);
            }

            return statuses;
        })).ToList();

        await Eventually.ValueAsync(Observe, s => s.Replicas >= 2, "the Deployment to scale out under load", TimeSpan.FromSeconds(60));
        var hpa = Local.Server.List("autoscaling/v2", "HorizontalPodAutoscaler", "default")
            .Single(h => h["metadata"]?["labels"]?["serval.dev/inferenceservice"]?.GetValue<string>() == Name);
        var metric = hpa["spec"]!["metrics"]![0]!["external"]!["metric"]!;
        var selector = string.Join(',', metric["selector"]!["matchLabels"]!.AsObject().Select(kv => $"{kv.Key}={kv.Value}"));
        var served = JsonNode.Parse(await Kubectl.RunAsync(Local.Kubeconfig, "get", "--raw",
            $"/apis/external.metrics.k8s.io/v1beta1/namespaces/default/{metric["name"]}?labelSelector={Uri.EscapeDataString(selector)}"))!;
        var decided = await Eventually.ValueAsync(Isvc, i => i?["status"]?["autoscaling"]?["desiredReplicas"]?.GetValue<int>() >= 2, "status.autoscaling to report the scale-out", TimeSpan.FromSeconds(30));
        // The operator sets the replicas itself; the HPA reads the same decision through the aggregation layer and agrees.
        JsonObject? Hpa() => Local.Server.Get("autoscaling/v2", "HorizontalPodAutoscaler", "default", hpa["metadata"]!["name"]!.GetValue<string>());
        var agreeing = await Eventually.ValueAsync(Hpa, h => h?["status"]?["desiredReplicas"]?.GetValue<int>() >= 2, "the HPA to read the scale-out decision", TimeSpan.FromSeconds(40));

        await stop.CancelAsync();
        var statuses = (await Task.WhenAll(clients)).SelectMany(s => s).ToList();
        await Eventually.ValueAsync(Observe, s => s.Replicas == 1, "the Deployment to scale back to minReplicas once the load is gone", TimeSpan.FromSeconds(90));

        Assert.Multiple(() =>
        {
            Assert.That(served["items"]!.AsArray(), Is.Not.Empty, "the decision served through the aggregation layer");
            Assert.That(agreeing!["status"]!["currentMetrics"]![0]!["external"]!["current"]!["averageValue"], Is.Not.Null, "the HPA read the external metric");
            Assert.That(statuses, Is.All.EqualTo(200), $"{statuses.Count(s => s != 200)} of {statuses.Count} requests failed while scaling");
            Assert.That(decided!["status"]!["autoscaling"]!["reason"]?.GetValue<string>(), Is.Not.Empty);
        });
    }
}

internal sealed record Scaling(int Replicas, string Why)
{
    public override string ToString() => $"{Replicas} replicas; {Why}";
}
