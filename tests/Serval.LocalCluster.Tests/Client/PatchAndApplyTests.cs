using k8s;
using k8s.Models;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Client;

/// <summary>JSON patch, merge patch, strategic merge patch and server-side apply through KubernetesClient.</summary>
[TestFixture]
public sealed class PatchAndApplyTests
{
    private EmbeddedApiServer _server = null!;
    private Kubernetes _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions());
        _client = new Kubernetes(_server.ClientConfiguration());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task JsonPatch_ReplacesTheAddressedValue()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("json"), "default");
        var patch = new V1Patch("[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4}]", V1Patch.PatchType.JsonPatch);

        var patched = await _client.AppsV1.PatchNamespacedDeploymentAsync(patch, "json", "default");

        Assert.That(patched.Spec.Replicas, Is.EqualTo(4));
    }

    [Test]
    public async Task JsonPatch_FailedTest_IsRefused()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("jsontest"), "default");
        var patch = new V1Patch("[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":9}]", V1Patch.PatchType.JsonPatch);

        var (code, _) = await ApiErrors.CatchAsync(() => _client.AppsV1.PatchNamespacedDeploymentAsync(patch, "jsontest", "default"));

        Assert.That(code, Is.EqualTo(422));
    }

    [Test]
    public async Task MergePatch_WithNull_RemovesTheField()
    {
        var cm = Workloads.ConfigMap("merge", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        await _client.CoreV1.CreateNamespacedConfigMapAsync(cm, "default");
        var patch = new V1Patch("{\"metadata\":{\"labels\":{\"a\":null}}}", V1Patch.PatchType.MergePatch);

        var patched = await _client.CoreV1.PatchNamespacedConfigMapAsync(patch, "merge", "default");

        Assert.That(patched.Metadata.Labels, Is.EqualTo(new Dictionary<string, string> { ["b"] = "2" }));
    }

    [Test]
    public async Task StrategicMergePatch_MergesContainersByName()
    {
        var deployment = Workloads.Deployment("smp");
        deployment.Spec.Template.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "proxy:1" });
        await _client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default");
        var patch = new V1Patch("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"proxy:2\"}]}}}}",
            V1Patch.PatchType.StrategicMergePatch);

        var patched = await _client.AppsV1.PatchNamespacedDeploymentAsync(patch, "smp", "default");

        Assert.That(patched.Spec.Template.Spec.Containers.Select(c => $"{c.Name}={c.Image}"), Is.EqualTo(new[] { "main=serval-worker:1", "sidecar=proxy:2" }));
    }

    [Test]
    public async Task StrategicMergePatch_DeleteDirective_RemovesTheListItem()
    {
        var deployment = Workloads.Deployment("smpdelete");
        deployment.Spec.Template.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "proxy:1" });
        await _client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default");
        var patch = new V1Patch("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"$patch\":\"delete\"}]}}}}",
            V1Patch.PatchType.StrategicMergePatch);

        var patched = await _client.AppsV1.PatchNamespacedDeploymentAsync(patch, "smpdelete", "default");

        Assert.That(patched.Spec.Template.Spec.Containers.Select(c => c.Name), Is.EqualTo(new[] { "main" }));
    }

    [Test]
    public async Task ServerSideApply_CreatesAndRecordsTheManager()
    {
        var patch = new V1Patch(Apply("ssa", 2), V1Patch.PatchType.ApplyPatch);

        var applied = await _client.AppsV1.PatchNamespacedDeploymentAsync(patch, "ssa", "default", fieldManager: "serval");

        Assert.That(applied.Spec.Replicas, Is.EqualTo(2));
        Assert.That(applied.Metadata.ManagedFields.Select(m => $"{m.Manager}/{m.Operation}"), Is.EqualTo(new[] { "serval/Apply" }));
    }

    [Test]
    public async Task ServerSideApply_ChangingAFieldAnotherManagerOwns_IsAConflict()
    {
        await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Apply("contested", 2), V1Patch.PatchType.ApplyPatch), "contested", "default", fieldManager: "first");

        var (code, status) = await ApiErrors.CatchAsync(() =>
            _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Apply("contested", 5), V1Patch.PatchType.ApplyPatch), "contested", "default", fieldManager: "second"));

        Assert.That(code, Is.EqualTo(409));
        Assert.That(status["details"]!["causes"]![0]!["field"]!.GetValue<string>(), Is.EqualTo(".spec.replicas"));
        Assert.That(status["details"]!["causes"]![0]!["message"]!.GetValue<string>(), Is.EqualTo("conflict with \"first\" using apps/v1"));
    }

    [Test]
    public async Task ServerSideApply_WithForce_TakesTheFieldOver()
    {
        await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Apply("forced", 2), V1Patch.PatchType.ApplyPatch), "forced", "default", fieldManager: "first");

        var applied = await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Apply("forced", 5), V1Patch.PatchType.ApplyPatch), "forced", "default",
            fieldManager: "second", force: true);

        Assert.That(applied.Spec.Replicas, Is.EqualTo(5));
        var first = applied.Metadata.ManagedFields.Single(m => m.Manager == "first");
        Assert.That(first.FieldsV1.ToString(), Does.Not.Contain("f:replicas"));
    }

    [Test]
    public async Task ServerSideApply_DroppingAField_RemovesIt()
    {
        await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Apply("dropped", 2, label: "x"), V1Patch.PatchType.ApplyPatch), "dropped", "default",
            fieldManager: "owner");

        var applied = await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Apply("dropped", 2), V1Patch.PatchType.ApplyPatch), "dropped", "default",
            fieldManager: "owner");

        Assert.That(applied.Metadata.Labels, Is.Null.Or.Not.ContainKey("extra"));
    }

    [Test]
    public async Task ServerSideApply_SameConfigurationTwice_MakesNoNewVersion()
    {
        var first = await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Apply("steady", 2), V1Patch.PatchType.ApplyPatch), "steady", "default",
            fieldManager: "owner");

        var second = await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Apply("steady", 2), V1Patch.PatchType.ApplyPatch), "steady", "default",
            fieldManager: "owner");

        Assert.That(second.Metadata.ResourceVersion, Is.EqualTo(first.Metadata.ResourceVersion));
    }

    [Test]
    public async Task ServerSideApply_SameConfigurationAfterAnotherManagersUpdate_MakesNoNewVersion()
    {
        await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Apply("shared", 2), V1Patch.PatchType.ApplyPatch), "shared", "default",
            fieldManager: "operator");
        var before = await _client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("{\"metadata\":{\"labels\":{\"seen\":\"yes\"}}}", V1Patch.PatchType.MergePatch), "shared", "default", fieldManager: "someone");

        var after = await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Apply("shared", 2), V1Patch.PatchType.ApplyPatch), "shared", "default",
            fieldManager: "operator");

        Assert.That(after.Metadata.ResourceVersion, Is.EqualTo(before.Metadata.ResourceVersion));
        Assert.That(after.Metadata.Labels["seen"], Is.EqualTo("yes"));
    }

    [Test]
    public async Task ServerSideApply_WithoutFieldManager_IsBadRequest()
    {
        var (code, _) = await ApiErrors.CatchAsync(() =>
            _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Apply("anonymous", 1), V1Patch.PatchType.ApplyPatch), "anonymous", "default"));

        Assert.That(code, Is.EqualTo(400));
    }

    private static string Apply(string name, int replicas, string? label = null) =>
        Serval.LocalCluster.Json.YamlJson.ParseDocuments(ApplyYaml(name, replicas, label))[0].ToJsonString();

    private static string ApplyYaml(string name, int replicas, string? label) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
          {{(label is null ? string.Empty : $"labels: {{extra: {label}}}")}}
        spec:
          replicas: {{replicas}}
          selector:
            matchLabels: {app: {{name}}}
          template:
            metadata:
              labels: {app: {{name}}}
            spec:
              containers:
              - name: main
                image: serval-worker:1
        """;
}
