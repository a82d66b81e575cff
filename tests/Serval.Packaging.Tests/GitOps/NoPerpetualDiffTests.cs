using System.Text.Json.Nodes;
using Serval.Api.Crd;
using Serval.LocalCluster.Json;
using Serval.Packaging.Tests.Support;

namespace Serval.Packaging.Tests.GitOps;

/// <summary>
/// What a GitOps tool needs to stay in sync: with the operator running, re-applying the same manifest changes
/// nothing, the operator writes only status, and the stored spec is the applied spec (no defaults written into it).
/// </summary>
public sealed class NoPerpetualDiffTests
{
    private const string Ns = RenderedChart.Namespace;

    [Test]
    public async Task ReapplyingTheSameManifest_WithTheOperatorRunning_WritesNothingAndSpecStaysAsApplied()
    {
        var manifest = Repository.Path("samples", "quickstart.yaml");
        var applied = YamlJson.ParseDocuments(File.ReadAllText(manifest)).Single(o => (string?)o["kind"] == "InferenceService");
        await using var api = await ApiServer.StartAsync(Ns);
        api.Server.ApplyManifests(InferenceServiceCrd.ToYaml(), "test-setup");
        using var kubectl = Tool.Kubectl(api.Kubeconfig);
        await using var op = await InProcessOperator.StartAsync(api, Ns);
        JsonObject? Service() => api.Server.Get("serving.serval.dev/v1alpha1", "InferenceService", "default", "mlp");

        (await kubectl.RunAsync("apply", "-f", manifest)).Ok();
        await Eventually.TrueAsync(
            () => Service()?["status"]?["observedGeneration"]?.ToJsonString() == "1" && Service()?["status"]?["conditions"] is JsonArray { Count: > 0 },
            "the operator to report the status of generation 1");
        var before = Service()!;
        var kubectlWritesBefore = api.Server.Requests.Count(r => r.IsWrite && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) == true);

        var second = (await kubectl.RunAsync("apply", "-f", manifest)).Ok();
        var diff = await kubectl.RunAsync("diff", "-f", manifest);
        var after = Service()!;
        var kubectlWritesAfter = api.Server.Requests.Count(r => r.IsWrite && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) == true);
        var operatorWritesToServices = api.Server.Requests
            .Where(r => r.IsWrite && r.Resource == "inferenceservices" && r.UserAgent?.StartsWith("serval-operator", StringComparison.Ordinal) == true)
            .Select(r => r.Subresource ?? "(main resource)")
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(second, Does.Contain("inferenceservice.serving.serval.dev/mlp unchanged"));
            Assert.That(second, Does.Contain("configmap/mlp-model unchanged"));
            Assert.That(kubectlWritesAfter, Is.EqualTo(kubectlWritesBefore), "the second kubectl apply sent a write");
            Assert.That(diff.ExitCode, Is.Zero, $"kubectl diff found a difference:\n{diff}");
            Assert.That(after["metadata"]!["generation"]!.ToJsonString(), Is.EqualTo("1"));
            Assert.That(operatorWritesToServices, Is.Not.Empty.And.All.EqualTo("status"), "the operator may write InferenceService status only");
            Assert.That(JsonNode.DeepEquals(after["spec"], applied["spec"]), Is.True,
                $"the stored spec differs from the applied one (defaults written back?):\nstored:  {after["spec"]!.ToJsonString()}\napplied: {applied["spec"]!.ToJsonString()}");
            Assert.That(JsonNode.DeepEquals(before["spec"], after["spec"]), Is.True);
        });
    }

    [Test]
    public async Task ServerSideApplyTwice_TheSecondChangesNothing()
    {
        var manifest = Repository.Path("samples", "quickstart.yaml");
        await using var api = await ApiServer.StartAsync(Ns);
        api.Server.ApplyManifests(InferenceServiceCrd.ToYaml(), "test-setup");
        using var kubectl = Tool.Kubectl(api.Kubeconfig);
        await using var op = await InProcessOperator.StartAsync(api, Ns);
        JsonObject? Service() => api.Server.Get("serving.serval.dev/v1alpha1", "InferenceService", "default", "mlp");

        (await kubectl.RunAsync("apply", "--server-side", "--field-manager=argocd-controller", "-f", manifest)).Ok();
        await Eventually.TrueAsync(() => Service()?["status"]?["observedGeneration"]?.ToJsonString() == "1", "the operator to observe generation 1");
        var spec = Service()!["spec"]!.DeepClone();
        var managers = Service()!["metadata"]!["managedFields"]!.AsArray()
            .Where(m => (string?)m!["subresource"] is null or "")
            .Select(m => (string?)m!["manager"])
            .ToList();

        (await kubectl.RunAsync("apply", "--server-side", "--field-manager=argocd-controller", "-f", manifest)).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(Service()!["metadata"]!["generation"]!.ToJsonString(), Is.EqualTo("1"));
            Assert.That(JsonNode.DeepEquals(Service()!["spec"], spec), Is.True);
            Assert.That(managers, Is.EqualTo(new[] { "argocd-controller" }), "only the applier may own fields of the main resource");
        });
    }
}
