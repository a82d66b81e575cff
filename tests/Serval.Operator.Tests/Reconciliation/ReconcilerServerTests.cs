using System.Text.Json.Nodes;
using Serval.Api.V1Alpha1;
using Serval.LocalCluster.Faults;
using Serval.Operator.Revisions;
using static Serval.Operator.Tests.Reconciliation.OperatorFixture;

namespace Serval.Operator.Tests.Reconciliation;

/// <summary>The InferenceService reconciler against the embedded API server, over HTTP.</summary>
[TestFixture]
public sealed class ReconcilerServerTests
{
    private OperatorFixture _fixture = null!;

    [SetUp]
    public async Task SetUp() => _fixture = await OperatorFixture.StartAsync();

    [TearDown]
    public async Task TearDown() => await _fixture.DisposeAsync();

    private static string HashOf(InferenceService service) => RevisionHash.Of(service.Resolve());

    /// <summary>Starts a fresh operator, waits until it has reconciled everything once, stops it: what it wrote.</summary>
    private async Task<List<string>> ResyncWritesAsync(Action<Hosting.OperatorOptions>? configure = null)
    {
        var before = _fixture.Server.Requests.Count(r => r.IsWrite);
        var second = await _fixture.StartOperatorAsync("second", configure: configure);
        await Eventually(
            () => second.Host.Controllers.Metrics.ReconcileTotal.WithLabels("inferenceservice", "success").Value >= 1 && second.Host.Controller.QueueLength == 0,
            "the resync reconciled");
        await OperatorFixture.StopAsync(second);
        return [.. _fixture.Server.Requests.Where(r => r.IsWrite).Skip(before).Select(w => $"{w.Verb} {w.Resource} {w.Name} {w.Subresource}")];
    }

    private bool Exists(string apiVersion, string kind, string name) => _fixture.Get(apiVersion, kind, name) is not null;

    [Test]
    public async Task Create_MakesTheRevisionChildrenAndTheTopLevelService()
    {
        await _fixture.StartOperatorAsync();
        var service = Service("mlp");
        var created = await _fixture.Client.CreateAsync(service, CancellationToken.None);
        var revision = $"mlp-{HashOf(service)}";

        await Eventually(
            () => Exists("apps/v1", "Deployment", revision) && Exists("v1", "Service", revision) && Exists("v1", "Service", "mlp")
                && Exists("autoscaling/v2", "HorizontalPodAutoscaler", revision) && Exists("policy/v1", "PodDisruptionBudget", revision)
                && _fixture.GetService("mlp")?.Status?.ObservedGeneration == created.Metadata.Generation,
            "children and status");

        var deployment = _fixture.Get("apps/v1", "Deployment", revision)!;
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.That((string?)container["name"], Is.EqualTo("worker"));
        Assert.That(container["args"]!.AsArray().Select(a => (string?)a).Take(2), Is.EqualTo(new[] { "--model", "/var/run/serval/model/mlp.onnx" }));
        Assert.That((string?)deployment["metadata"]!["ownerReferences"]![0]!["uid"], Is.EqualTo(created.Metadata.Uid));
        var top = _fixture.Get("v1", "Service", "mlp")!;
        Assert.That((string?)top["spec"]!["selector"]![ServalLabels.Revision], Is.EqualTo(HashOf(service)));
        Assert.That((string?)top["metadata"]!["annotations"]![ServalLabels.StableRevisionAnnotation], Is.EqualTo(HashOf(service)));
        var status = _fixture.GetService("mlp")!.Status!;
        Assert.That(status.StableRevision!.Name, Is.EqualTo(revision));
        Assert.That(status.Url, Is.EqualTo("http://mlp.default.svc.cluster.local"));
        Assert.That(Controllers.Status.Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Status, Is.EqualTo("False"));
    }

    [Test]
    public async Task DefaultWorkerImage_BuildsPodsWithItAndLeavesTheObjectAlone()
    {
        await _fixture.StartOperatorAsync(configure: o => o.DefaultWorkerImage = "registry.example/serval-worker:2");
        var service = Service("mlp");
        await _fixture.Client.CreateAsync(service, CancellationToken.None);
        var revision = $"mlp-{RevisionHash.Of(service.Resolve("registry.example/serval-worker:2"))}";

        await Eventually(() => Exists("apps/v1", "Deployment", revision), "the revision Deployment");

        var container = _fixture.Get("apps/v1", "Deployment", revision)!["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.That((string?)container["image"], Is.EqualTo("registry.example/serval-worker:2"));
        Assert.That(_fixture.GetService("mlp")!.Spec.Runtime?.Image, Is.Null);
    }

    [Test]
    public async Task FullResync_WhenNothingChanged_WritesNothing()
    {
        var first = await _fixture.StartOperatorAsync();
        var service = Service("mlp");
        await _fixture.Client.CreateAsync(service, CancellationToken.None);

        // Settled: the status reflects the Deployment, the last child whose appearance changes it.
        await Eventually(
            () => _fixture.Condition("mlp", ConditionTypes.RevisionReady, out var reason) == "False" && reason == ConditionReasons.ReplicasUnavailable,
            "status written from the Deployment");
        await OperatorFixture.StopAsync(first);

        // A fresh operator lists everything and reconciles every InferenceService.
        var writes = await ResyncWritesAsync();

        Assert.That(writes, Is.Empty);
    }

    [Test]
    public async Task FullResync_BeforeTheObservationsHaveFigures_KeepsStatusMetricsAndAutoscaling()
    {
        var figures = new FixedObservations(
            new MetricsStatus { RequestsPerSecond = 12.5, ObservedAt = new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc) },
            new AutoscalingStatus { DesiredReplicas = 3, Reason = "concurrency 7 for target 2.8 per replica", LastScaleTime = new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc) });
        var first = await _fixture.StartOperatorAsync(configure: o => o.Observations = figures);
        await _fixture.Client.CreateAsync(Service("mlp"), CancellationToken.None);
        await Eventually(
            () => _fixture.GetService("mlp")?.Status?.Autoscaling?.DesiredReplicas == 3
                && _fixture.Condition("mlp", ConditionTypes.RevisionReady, out var reason) == "False" && reason == ConditionReasons.ReplicasUnavailable,
            "status with the observed figures");
        await OperatorFixture.StopAsync(first);

        // A restarted operator: its scraper has not ticked yet.
        var writes = await ResyncWritesAsync(o => o.Observations = new FixedObservations(null, null));

        Assert.That(writes, Is.Empty);
        Assert.That(_fixture.GetService("mlp")!.Status!.Metrics!.RequestsPerSecond, Is.EqualTo(12.5));
    }

    [Test]
    public async Task RevisionReady_MakesTheServiceReady()
    {
        await _fixture.StartOperatorAsync();
        var service = Service("mlp");
        await _fixture.Client.CreateAsync(service, CancellationToken.None);
        var revision = $"mlp-{HashOf(service)}";
        await Eventually(() => Exists("apps/v1", "Deployment", revision), "the Deployment");

        _fixture.MarkReady(revision);

        await Eventually(() => _fixture.Condition("mlp", ConditionTypes.Ready, out _) == "True", "Ready True");
        Assert.That(_fixture.GetService("mlp")!.Status!.StableRevision!.ReadyReplicas, Is.EqualTo(1));
    }

    [Test]
    public async Task SpecChange_Immediate_StartsANewRevisionAndRetiresTheOldOneOnceTheNewIsReady()
    {
        await _fixture.StartOperatorAsync();
        var first = Service("mlp", configure: s => s.Rollout = new RolloutSpec { Strategy = "Immediate" });
        await _fixture.Client.CreateAsync(first, CancellationToken.None);
        var oldRevision = $"mlp-{HashOf(first)}";
        await Eventually(() => Exists("apps/v1", "Deployment", oldRevision), "the first revision");
        _fixture.MarkReady(oldRevision);
        await Eventually(() => _fixture.Condition("mlp", ConditionTypes.Ready, out _) == "True", "Ready True");

        var live = _fixture.GetService("mlp")!;
        live.Spec.Model!.Uri = "configmap://models/mlp-v2.onnx";
        await _fixture.Client.ReplaceAsync(live, CancellationToken.None);
        var newRevision = $"mlp-{HashOf(live)}";
        await Eventually(() => Exists("apps/v1", "Deployment", newRevision) && _fixture.GetService("mlp")?.Status?.CanaryRevision?.Name == newRevision, "the new revision starts");
        Assert.That(Exists("apps/v1", "Deployment", oldRevision), Is.True, "the old revision serves until the new one is ready");
        Assert.That((string?)_fixture.Get("v1", "Service", "mlp")!["spec"]!["selector"]![ServalLabels.Revision], Is.EqualTo(HashOf(first)));

        _fixture.MarkReady(newRevision);

        await Eventually(() => !Exists("apps/v1", "Deployment", oldRevision) && _fixture.GetService("mlp")?.Status?.StableRevision?.Name == newRevision, "promoted, old removed");
        var status = _fixture.GetService("mlp")!.Status!;
        Assert.That(status.CanaryRevision, Is.Null);
        Assert.That(status.RolloutHistory![0].Outcome, Is.EqualTo("Promoted"));
        Assert.That((string?)_fixture.Get("v1", "Service", "mlp")!["spec"]!["selector"]![ServalLabels.Revision], Is.EqualTo(HashOf(live)));
        Assert.That(Exists("v1", "Service", oldRevision) || Exists("autoscaling/v2", "HorizontalPodAutoscaler", oldRevision), Is.False);
    }

    [Test]
    public async Task ChildDeletedByHand_IsRecreated()
    {
        await _fixture.StartOperatorAsync();
        var service = Service("mlp");
        await _fixture.Client.CreateAsync(service, CancellationToken.None);
        var revision = $"mlp-{HashOf(service)}";
        await Eventually(() => Exists("v1", "Service", revision), "the revision Service");
        var uid = (string?)_fixture.Get("v1", "Service", revision)!["metadata"]!["uid"];

        _fixture.Server.Delete("v1", "Service", "default", revision);

        await Eventually(() => (string?)_fixture.Get("v1", "Service", revision)?["metadata"]!["uid"] is { } now && now != uid, "the Service comes back");
    }

    [Test]
    public async Task DriftInTheDeployment_IsCorrected()
    {
        await _fixture.StartOperatorAsync();
        var service = Service("mlp");
        await _fixture.Client.CreateAsync(service, CancellationToken.None);
        var revision = $"mlp-{HashOf(service)}";
        await Eventually(() => Exists("apps/v1", "Deployment", revision), "the Deployment");

        var edited = _fixture.Get("apps/v1", "Deployment", revision)!;
        edited["spec"]!["replicas"] = 50;
        edited["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "someone/else:latest";
        _fixture.Server.Replace(edited, "kubectl-edit");

        await Eventually(
            () => _fixture.Get("apps/v1", "Deployment", revision) is { } d
                && (string?)d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] == InferenceServiceDefaults.WorkerImage
                // Clamped to maxReplicas; or, when an apply of the operator's was already in flight as the edit
                // landed, the edit is overwritten as a whole and the replicas are the operator's again.
                && (int?)d["spec"]!["replicas"] is >= InferenceServiceDefaults.MinReplicas and <= InferenceServiceDefaults.MaxReplicas,
            "image restored and replicas brought back within maxReplicas",
            observed: () => $"{_fixture.Get("apps/v1", "Deployment", revision)?.ToJsonString()}; the last 20 requests: "
                + string.Join(", ", _fixture.Server.Requests.Snapshot().TakeLast(20).Select(r => $"{r.Verb} {r.Resource}/{r.Subresource} {r.Name} {r.StatusCode}")));
    }

    [Test]
    public async Task ModelThatCannotBeDownloaded_ReadyFalseWithModelUnavailable()
    {
        await _fixture.StartOperatorAsync();
        var service = Service("mlp", uri: "https://models.invalid/mlp.onnx");
        await _fixture.Client.CreateAsync(service, CancellationToken.None);
        var hash = HashOf(service);
        await Eventually(() => Exists("apps/v1", "Deployment", $"mlp-{hash}"), "the Deployment");

        var pod = _fixture.Server.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"mlp-{hash}-abcde",
                ["namespace"] = "default",
                ["labels"] = new JsonObject { [ServalLabels.InferenceService] = "mlp", [ServalLabels.Revision] = hash },
            },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "worker", ["image"] = "w" }) },
        });
        pod["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = "worker",
                ["image"] = "w",
                ["imageID"] = string.Empty,
                ["ready"] = false,
                ["restartCount"] = 3,
                ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff" } },
                ["lastState"] = new JsonObject
                {
                    ["terminated"] = new JsonObject { ["exitCode"] = 1, ["reason"] = "Error", ["message"] = "model download failed: https://models.invalid/mlp.onnx: name not resolved" },
                },
            }),
        };
        _fixture.Server.UpdateStatus(pod, "kubelet");

        await Eventually(() => _fixture.Condition("mlp", ConditionTypes.Ready, out var reason) == "False" && reason == ConditionReasons.ModelUnavailable, "Ready False, ModelUnavailable");
        var ready = Controllers.Status.Conditions.Find(_fixture.GetService("mlp")!.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.That(ready.Message, Does.Contain("model download failed"));
    }

    [Test]
    public async Task TwoInstances_OnlyTheLeaderReconciles_AndTheStandbyTakesOverWhenItStops()
    {
        var one = await _fixture.StartOperatorAsync("one", elect: true);
        await Eventually(() => one.Host.Controllers.IsLeader, "the first leads");
        var two = await _fixture.StartOperatorAsync("two", elect: true);
        await Eventually(() => two.Host.Controllers.ReadinessProblem is null, "the standby is synced and campaigning");
        var first = Service("first");
        await _fixture.Client.CreateAsync(first, CancellationToken.None);
        await Eventually(() => Exists("apps/v1", "Deployment", $"first-{HashOf(first)}"), "the leader reconciles");
        Assert.That(two.Host.Controllers.IsLeader, Is.False);
        Assert.That(two.Host.Controllers.Metrics.ReconcileTotal.WithLabels("inferenceservice", "success").Value, Is.Zero, "the standby did not reconcile");

        await OperatorFixture.StopAsync(one);
        await Eventually(() => two.Host.Controllers.IsLeader, "the standby takes over", TimeSpan.FromSeconds(10));
        var second = Service("second");
        await _fixture.Client.CreateAsync(second, CancellationToken.None);

        await Eventually(() => Exists("apps/v1", "Deployment", $"second-{HashOf(second)}"), "the new leader reconciles");
    }

    [Test]
    public async Task UnderFaultsAndCutWatches_ReachesTheSameEndStateWithoutDuplicates()
    {
        using var errors = _fixture.Server.Faults.Add(new FaultRule { Verb = "patch", StatusCode = 500, Percent = 20 });
        using var conflicts = _fixture.Server.Faults.Add(new FaultRule { Verb = "patch", StatusCode = 409, Percent = 20 });
        using var deleteErrors = _fixture.Server.Faults.Add(new FaultRule { Verb = "delete", StatusCode = 500, Percent = 20 });
        await _fixture.StartOperatorAsync();
        var services = Enumerable.Range(0, 10).Select(i => Service($"svc-{i}")).ToList();
        foreach (var service in services)
        {
            await _fixture.Client.CreateAsync(service, CancellationToken.None);
        }

        _fixture.Server.Faults.CutWatches();
        await Eventually(
            () =>
            {
                _fixture.Server.Faults.CutWatches();
                return services.All(s => Exists("policy/v1", "PodDisruptionBudget", $"{s.Metadata.Name}-{HashOf(s)}") && Exists("v1", "Service", s.Metadata.Name)
                    && _fixture.GetService(s.Metadata.Name)?.Status?.ObservedGeneration == 1);
            },
            "every service converges");

        Assert.That(_fixture.Server.Faults.Hits, Is.GreaterThan(0), "faults were injected");
        Assert.That(_fixture.Server.List("apps/v1", "Deployment", "default"), Has.Count.EqualTo(10));
        Assert.That(_fixture.Server.List("v1", "Service", "default").Count(s => s["metadata"]!["labels"]?[ServalLabels.InferenceService] is not null), Is.EqualTo(20));
        Assert.That(_fixture.Server.List("autoscaling/v2", "HorizontalPodAutoscaler", "default"), Has.Count.EqualTo(10));
    }

    private sealed class FixedObservations(MetricsStatus? metrics, AutoscalingStatus? autoscaling) : Status.IRevisionObservations
    {
        public MetricsStatus? Metrics(Controllers.Cache.ObjectKey service) => metrics;

        public AutoscalingStatus? Autoscaling(Controllers.Cache.ObjectKey service) => autoscaling;

        public MetricsStatus? RevisionMetrics(Controllers.Cache.ObjectKey service, string revision) => null;
    }
}
