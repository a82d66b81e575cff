using System.Text.Json.Nodes;
using Serval.Api.V1Alpha1;
using Serval.Operator.Revisions;
using Serval.Operator.Tests.Reconciliation;
using Serval.Operator.Tests.Rollout.SmokeTest;
using static Serval.Operator.Tests.Reconciliation.OperatorFixture;

namespace Serval.Operator.Tests.Rollout.Server;

/// <summary>The smoke test through the reconciler: pods of each revision point at real workers serving the sample models.</summary>
[TestFixture]
public sealed class CanarySmokeTestServerTests
{
    private const string V1 = "configmap://models/mlp.onnx";
    private const string V2 = "configmap://models/mlp-v2.onnx";

    private SampleWorkers _workers = null!;
    private OperatorFixture _fixture = null!;
    private FakeKubelet _kubelet = null!;
    private FakeCanaryMetrics _metrics = null!;

    [OneTimeSetUp]
    public async Task StartWorkers() => _workers = await SampleWorkers.StartAsync("mlp", "mlp-v2", "mlp-wrong");

    [OneTimeTearDown]
    public async Task StopWorkers() => await _workers.DisposeAsync();

    [SetUp]
    public async Task SetUp()
    {
        _fixture = await OperatorFixture.StartAsync();
        _kubelet = new FakeKubelet(_fixture.Server);
        _metrics = new FakeCanaryMetrics();
        _fixture.Server.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "smoke", ["namespace"] = "default" },
            ["data"] = new JsonObject { ["mlp.json"] = SampleWorkers.SampleRequest() },
        });
    }

    [TearDown]
    public async Task TearDown()
    {
        await _kubelet.DisposeAsync();
        await _fixture.DisposeAsync();
    }

    private static InferenceService Smoked(string uri, double tolerance) => Service("mlp", uri, spec =>
    {
        spec.Model!.Name = "mlp";
        spec.Rollout = new RolloutSpec
        {
            Steps = [50],
            StepIntervalSeconds = 1,
            Analysis = new AnalysisSpec { MinRequests = 1 },
            SmokeTest = new SmokeTestSpec { ConfigMapName = "smoke", Tolerance = tolerance },
        };
    });

    private static string Hash(string uri) => RevisionHash.Of(Smoked(uri, 0.01).Resolve());

    private InferenceServiceStatus? Status() => _fixture.GetService("mlp")?.Status;

    /// <summary>A ready pod of the revision whose http port is the given worker's.</summary>
    private void Pod(string revision, Uri worker)
    {
        var name = $"mlp-{revision}-pod";
        _fixture.Server.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = "default",
                ["labels"] = new JsonObject { [ServalLabels.InferenceService] = "mlp", [ServalLabels.Revision] = revision },
            },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "worker",
                    ["image"] = "serval-worker",
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = worker.Port }),
                }),
            },
        });
        var pod = _fixture.Server.Get("v1", "Pod", "default", name)!;
        pod["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["podIP"] = "127.0.0.1",
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
        };
        _fixture.Server.UpdateStatus(pod);
    }

    private async Task RollOutAsync(string worker, double tolerance)
    {
        await _fixture.StartOperatorAsync(configure: o => o.CanaryMetrics = _metrics);
        await _fixture.Client.CreateAsync(Smoked(V1, tolerance), CancellationToken.None);
        await Eventually(() => Status()?.StableRevision?.ReadyReplicas > 0, "stable ready");
        Pod(Hash(V1), _workers["mlp"]);
        Pod(Hash(V2), _workers[worker]);
        _metrics.Set(Hash(V2), requests: 100);

        var live = _fixture.GetService("mlp")!;
        live.Spec.Model!.Uri = V2;
        await _fixture.Client.ReplaceAsync(live, CancellationToken.None);
    }

    [Test]
    public async Task WrongModel_IsRefusedBeforeAnyTraffic()
    {
        await RollOutAsync("mlp-wrong", tolerance: 0.01);
        var shares = new List<int>();

        await Eventually(() =>
        {
            if (Status()?.CanaryRevision?.TrafficPercent is { } share)
            {
                shares.Add(share);
            }

            return Status()?.CanaryRevision?.Phase == "Failed";
        }, "smoke test failure");

        var status = Status()!;
        Assert.That(status.CanaryRevision!.Message, Does.Contain("smoke test failed: mlp.json: output output value [0] is 10.2727, expected -0.2727"));
        Assert.That(shares, Has.All.EqualTo(0), "the wrong model never got traffic");
        Assert.That(Controllers.Status.Conditions.Find(status.Conditions, ConditionTypes.RolloutHealthy)!.Reason, Is.EqualTo(ConditionReasons.SmokeTestFailed));
        Assert.That(status.StableRevision!.TrafficPercent, Is.EqualTo(100));
    }

    [Test]
    public async Task CloseModel_PassesAndGetsTraffic()
    {
        await RollOutAsync("mlp-v2", tolerance: 0.1);

        await Eventually(() => Status()?.StableRevision?.Name == $"mlp-{Hash(V2)}", "promotion after the smoke test");

        var events = _fixture.Server.List("events.k8s.io/v1", "Event", "default");
        Assert.That(events.Select(e => (string?)(e["reason"]) ?? string.Empty), Has.Some.EqualTo("SmokeTestPassed"));
    }
}
