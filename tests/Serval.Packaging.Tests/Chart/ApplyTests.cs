using Serval.Packaging.Tests.Support;

namespace Serval.Packaging.Tests.Chart;

/// <summary>
/// The rendered manifests are valid objects: the real kubectl applies them to the embedded API server, first as a
/// server-side dry run (admission and schema validation, nothing stored), then for real.
/// </summary>
public sealed class ApplyTests
{
    private static async Task ApplyAsync(ApiServer api, string manifests)
    {
        using var kubectl = Tool.Kubectl(api.Kubeconfig);
        var file = api.WriteFile("rendered.yaml", manifests);

        var dryRun = await kubectl.RunAsync("apply", "-f", file, "--dry-run=server");
        Assert.That(dryRun.ExitCode, Is.Zero, dryRun.ToString());
        var applied = await kubectl.RunAsync("apply", "-f", file);
        Assert.That(applied.ExitCode, Is.Zero, applied.ToString());
    }

    [Test]
    public async Task DefaultManifests_ApplyWithKubectl()
    {
        var chart = await RenderedChart.TemplateAsync("externalMetrics.enabled=true");
        await using var api = await ApiServer.StartAsync(RenderedChart.Namespace);

        await ApplyAsync(api, chart.Yaml);

        Assert.Multiple(() =>
        {
            Assert.That(api.Server.Get("apps/v1", "Deployment", RenderedChart.Namespace, "serval"), Is.Not.Null);
            Assert.That(api.Server.Get("apiregistration.k8s.io/v1", "APIService", null, "v1beta1.external.metrics.k8s.io"), Is.Not.Null);
            Assert.That(api.Server.Get("rbac.authorization.k8s.io/v1", "ClusterRole", null, "serval"), Is.Not.Null);
            Assert.That(api.Server.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "inferenceservices.serving.serval.dev"), Is.Not.Null);
        });
    }

    [Test]
    public async Task EveryOption_ManifestsApplyWithKubectl()
    {
        var chart = await RenderedChart.TemplateAsync(
            "operator.watchNamespace=models",
            "metrics.serviceMonitor.enabled=true",
            "metrics.podMonitor.enabled=true",
            "externalMetrics.enabled=true",
            "externalMetrics.certManager.enabled=true",
            "networkPolicy.enabled=true",
            "grafanaDashboard.enabled=true",
            "replicaCount=3",
            "podDisruptionBudget.minAvailable=2");
        await using var api = await ApiServer.StartAsync(RenderedChart.Namespace, "models");
        api.Server.ApplyManifests(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "stand-in-crds.yaml")));

        await ApplyAsync(api, chart.Yaml);

        Assert.Multiple(() =>
        {
            Assert.That(api.Server.Get("rbac.authorization.k8s.io/v1", "Role", "models", "serval"), Is.Not.Null);
            Assert.That(api.Server.Get("monitoring.coreos.com/v1", "PodMonitor", RenderedChart.Namespace, "serval-workers"), Is.Not.Null);
            Assert.That(api.Server.Get("cert-manager.io/v1", "Certificate", RenderedChart.Namespace, "serval-metrics-api"), Is.Not.Null);
            Assert.That(api.Server.Get("networking.k8s.io/v1", "NetworkPolicy", RenderedChart.Namespace, "serval"), Is.Not.Null);
            Assert.That(api.Server.Get("v1", "ConfigMap", RenderedChart.Namespace, "serval-dashboard"), Is.Not.Null);
        });
    }
}
