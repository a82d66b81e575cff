using Serval.Api.V1Alpha1;
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
    public async Task Resync_WhenNothingChanged_WritesNothing()
    {
        var op = await _fixture.StartOperatorAsync();
        var service = Service("mlp");
        var created = await _fixture.Client.CreateAsync(service, CancellationToken.None);
        await Eventually(() => _fixture.GetService("mlp")?.Status?.ObservedGeneration == created.Metadata.Generation, "status written");
        await Eventually(() => op.Host.Controller.QueueLength == 0, "queue drained");
        var before = _fixture.Server.Requests.Count(r => r.IsWrite && r.FieldManager == "serval-operator");
        var reconciled = op.Host.Controllers.Metrics.ReconcileTotal.WithLabels("inferenceservice", "success").Value;

        op.Host.Enqueue(new Controllers.Cache.ObjectKey("default", "mlp"));
        await Eventually(() => op.Host.Controllers.Metrics.ReconcileTotal.WithLabels("inferenceservice", "success").Value > reconciled, "resync reconciled");

        Assert.That(_fixture.Server.Requests.Count(r => r.IsWrite && r.FieldManager == "serval-operator"), Is.EqualTo(before));
    }
}
