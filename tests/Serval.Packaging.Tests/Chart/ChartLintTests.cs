using Serval.Packaging.Tests.Support;

namespace Serval.Packaging.Tests.Chart;

public sealed class ChartLintTests
{
    [Test]
    public async Task HelmLint_Strict_PassesWithDefaultValues()
    {
        using var helm = Tool.Helm();

        var result = await helm.RunAsync("lint", Repository.ChartDirectory, "--strict");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [Test]
    public async Task HelmLint_Strict_PassesWithEveryOptionOn()
    {
        using var helm = Tool.Helm();

        var result = await helm.RunAsync(
            "lint", Repository.ChartDirectory, "--strict",
            "--set", "operator.watchNamespace=models",
            "--set", "metrics.serviceMonitor.enabled=true",
            "--set", "metrics.podMonitor.enabled=true",
            "--set", "externalMetrics.enabled=true",
            "--set", "externalMetrics.certManager.enabled=true",
            "--set", "networkPolicy.enabled=true",
            "--set", "grafanaDashboard.enabled=true");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [Test]
    public void ChartCrd_IsTheGeneratedCrd()
    {
        var generated = File.ReadAllText(Repository.Path("crds", "serving.serval.dev_inferenceservices.yaml"));
        var inChart = File.ReadAllText(Repository.Path("charts", "serval", "crds", "serving.serval.dev_inferenceservices.yaml"));

        Assert.That(inChart, Is.EqualTo(generated), "charts/serval/crds/ must hold the CRD `make crds` generates; run `make crds`");
    }
}
