using System.Text.Json.Nodes;
using Serval.Packaging.Tests.Support;

namespace Serval.Packaging.Tests.Chart;

/// <summary><c>helm install</c>, <c>upgrade</c> and <c>uninstall</c> against the embedded API server.</summary>
public sealed class HelmReleaseTests
{
    private const string Ns = RenderedChart.Namespace;

    [Test]
    public async Task InstallUpgradeUninstall_ManageTheReleaseAndKeepTheCrdAndCertificate()
    {
        await using var api = await ApiServer.StartAsync();
        using var helm = Tool.Helm(api.Kubeconfig);
        var chart = Repository.ChartDirectory;

        (await helm.RunAsync("install", "serval", chart, "--namespace", Ns, "--create-namespace", "--set", "externalMetrics.enabled=true")).Ok();
        var installed = api.Server.Get("apps/v1", "Deployment", Ns, "serval");
        var certificate = (string?)api.Server.Get("v1", "Secret", Ns, "serval-metrics-api-tls")?["data"]?["tls.crt"];
        var crd = api.Server.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "inferenceservices.serving.serval.dev");

        (await helm.RunAsync("upgrade", "serval", chart, "--namespace", Ns, "--reuse-values", "--set", "replicaCount=3")).Ok();
        var upgraded = api.Server.Get("apps/v1", "Deployment", Ns, "serval");
        var certificateAfterUpgrade = (string?)api.Server.Get("v1", "Secret", Ns, "serval-metrics-api-tls")?["data"]?["tls.crt"];
        var history = (await helm.RunAsync("history", "serval", "--namespace", Ns, "-o", "json")).Ok();

        (await helm.RunAsync("uninstall", "serval", "--namespace", Ns)).Ok();

        Assert.Multiple(() =>
        {
            Assert.That(installed, Is.Not.Null, "helm install created no Deployment");
            Assert.That(crd, Is.Not.Null, "helm install did not install the CRD from crds/");
            Assert.That(upgraded?["spec"]?["replicas"]?.ToJsonString(), Is.EqualTo("3"));
            Assert.That(certificate, Is.Not.Null.And.Not.Empty);
            Assert.That(certificateAfterUpgrade, Is.EqualTo(certificate), "an upgrade must keep the generated certificate (lookup)");
            Assert.That(JsonNode.Parse(history)!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(api.Server.Get("apps/v1", "Deployment", Ns, "serval"), Is.Null, "helm uninstall left the Deployment");
            Assert.That(api.Server.Get("rbac.authorization.k8s.io/v1", "ClusterRole", null, "serval"), Is.Null, "helm uninstall left the ClusterRole");
            Assert.That(api.Server.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "inferenceservices.serving.serval.dev"), Is.Not.Null,
                "Helm keeps CRDs on uninstall, so that InferenceServices survive");
        });
    }
}
