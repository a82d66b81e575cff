using Serval.Packaging.Tests.Support;

namespace Serval.Packaging.Tests.Chart;

/// <summary>values.schema.json refuses bad values before anything is rendered, naming the value.</summary>
public sealed class ValuesSchemaTests
{
    [TestCase("replicaCount=0", "/replicaCount")]
    [TestCase("replicaCount=two", "/replicaCount")]
    [TestCase("operator.leaderElection.enabled=false", "/replicaCount")]
    [TestCase("operator.metricsPort=70000", "/operator/metricsPort")]
    [TestCase("operator.maxConcurrentReconciles=0", "/operator/maxConcurrentReconciles")]
    [TestCase("operator.watchNamespace=Not_A_Namespace", "/operator/watchNamespace")]
    [TestCase("operator.watchNamspace=models", "watchNamspace")]
    [TestCase("image.pullPolicy=Sometimes", "/image/pullPolicy")]
    [TestCase("image.digest=latest", "/image/digest")]
    [TestCase("worker.tag=1", "tag")]
    [TestCase("externalMetrics.certManager.issuerRef.kind=Vault", "/externalMetrics/certManager/issuerRef/kind")]
    [TestCase("metrics.serviceMonitor.interval=often", "/metrics/serviceMonitor/interval")]
    [TestCase("resources.requests.cpu=lots", "/resources/requests/cpu")]
    [TestCase("networkPolicy.enabled=yes", "/networkPolicy/enabled")]
    public async Task BadValue_IsRefusedNamingIt(string set, string named)
    {
        var result = await RenderedChart.TryTemplateAsync(set);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
            Assert.That(result.Stderr, Does.Contain(named), result.ToString());
        });
    }

    [TestCase("operator.leaderElection.enabled=false", "replicaCount=1")]
    [TestCase("operator.watchNamespace=models")]
    [TestCase("podDisruptionBudget.minAvailable=50%")]
    [TestCase("resources.limits.memory=1Gi", "resources.requests.cpu=250m")]
    public async Task GoodValues_AreAccepted(params string[] sets)
    {
        var result = await RenderedChart.TryTemplateAsync(sets);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }
}
