using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serval.Packaging.Tests.Support;

namespace Serval.Packaging.Tests.Chart;

public sealed partial class DashboardTests
{
    [GeneratedRegex(@"\b(serval_[a-z_]+)")]
    private static partial Regex MetricName();

    [GeneratedRegex("\"(serval_[a-z_]+)\"")]
    private static partial Regex QuotedMetricName();

    /// <summary>The names the worker and the operator register, read from the code that registers them.</summary>
    private static HashSet<string> ExportedNames()
    {
        var sources = new[]
        {
            Repository.Path("runtime-image", "Serval.Worker", "Observability", "WorkerMetrics.cs"),
            Repository.Path("operator", "Serval.Controllers", "Monitoring", "ControllerMetrics.cs"),
        };
        return sources.SelectMany(f => QuotedMetricName().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
    }

    private static IEnumerable<string> Expressions(JsonNode dashboard) =>
        dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray().Select(t => (string)t!["expr"]!));

    [Test]
    public void Dashboard_QueriesOnlyMetricsTheWorkerAndOperatorExport()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Repository.Path("charts", "serval", "files", "dashboard.json")))!;
        var exported = ExportedNames();

        var used = Expressions(dashboard)
            .SelectMany(e => MetricName().Matches(e).Select(m => m.Groups[1].Value))
            .Select(n => Regex.Replace(n, "_(bucket|sum|count)$", ""))
            .Distinct()
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(exported, Has.Count.GreaterThan(5), "the exporters' sources moved; update this test's paths");
            Assert.That(used, Is.SubsetOf(exported));
        });
    }

    [Test]
    public void Dashboard_HasLatencyThroughputReplicasAndCanaryWeightPanels()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Repository.Path("charts", "serval", "files", "dashboard.json")))!;
        var titles = dashboard["panels"]!.AsArray().Select(p => (string)p!["title"]!).ToList();

        Assert.That(titles, Has.Some.Contains("Latency").And.Some.Contains("Throughput").And.Some.Contains("replicas").And.Some.Contains("Canary traffic weights"));
    }

    [Test]
    public async Task DashboardOption_RendersAConfigMapForGrafanasSidecar()
    {
        var chart = await RenderedChart.TemplateAsync("grafanaDashboard.enabled=true");
        var configMap = chart.Single("ConfigMap", "serval-dashboard");

        Assert.Multiple(() =>
        {
            Assert.That((string?)configMap["metadata"]!["labels"]!["grafana_dashboard"], Is.EqualTo("1"));
            Assert.That(JsonNode.Parse((string)configMap["data"]!["serval.json"]!)!["uid"]!.GetValue<string>(), Is.EqualTo("serval-inference"));
        });
    }
}
