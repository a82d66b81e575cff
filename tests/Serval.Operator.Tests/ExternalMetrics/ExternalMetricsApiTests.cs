using System.Net;
using System.Text.Json.Nodes;
using Serval.Operator.ExternalMetrics;

namespace Serval.Operator.Tests.ExternalMetrics;

public sealed class ExternalMetricsApiTests
{
    private const string Selector = "serval.dev/inferenceservice=mlp,serval.dev/revision=abc123";
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static DesiredReplicasStore StoreWith(int replicas)
    {
        var store = new DesiredReplicasStore();
        store.Set(new RevisionKey("default", "mlp", "abc123"), new DesiredReplicas(replicas, At));
        return store;
    }

    [Test]
    public void Get_ReturnsTheExternalMetricValueListTheHpaExpects()
    {
        var (status, body) = ExternalMetricsApi.Get("default", "serval-desired-replicas", Selector, StoreWith(5));

        Assert.That(status, Is.EqualTo(200));
        Assert.That(JsonNode.Parse(body.ToJsonString())!.ToJsonString(), Is.EqualTo(
            """{"kind":"ExternalMetricValueList","apiVersion":"external.metrics.k8s.io/v1beta1","metadata":{},"items":[{"metricName":"serval-desired-replicas","metricLabels":{"serval.dev/inferenceservice":"mlp","serval.dev/revision":"abc123"},"timestamp":"2026-01-02T03:04:05Z","value":"5"}]}"""));
    }

    [Test]
    public void Get_AcceptsDoubleEquals()
    {
        var (_, body) = ExternalMetricsApi.Get("default", "serval-desired-replicas", "serval.dev/inferenceservice==mlp,serval.dev/revision==abc123", StoreWith(2));

        Assert.That(body["items"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("2"));
    }

    [Test]
    public void Get_NoDecisionYet_ReturnsNoItems()
    {
        var (status, body) = ExternalMetricsApi.Get("other", "serval-desired-replicas", Selector, StoreWith(5));

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public void Get_UnknownMetric_Is404NamingIt()
    {
        var (status, body) = ExternalMetricsApi.Get("default", "queue-length", Selector, StoreWith(5));

        Assert.That(status, Is.EqualTo(404));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("\"queue-length\""));
    }

    [TestCase("serval.dev/revision!=x", "labelSelector term \"serval.dev/revision!=x\" is not supported: use key=value")]
    [TestCase("serval.dev/revision=abc123", "must select serval.dev/inferenceservice and serval.dev/revision")]
    [TestCase("", "must select serval.dev/inferenceservice and serval.dev/revision")]
    public void Get_BadSelector_Is400NamingIt(string selector, string message)
    {
        var (status, body) = ExternalMetricsApi.Get("default", "serval-desired-replicas", selector, StoreWith(5));

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain(message));
    }

    [Test]
    public void Discovery_ListsTheMetricAsANamespacedResource()
    {
        var d = ExternalMetricsApi.Discovery();

        Assert.That(d["groupVersion"]!.GetValue<string>(), Is.EqualTo("external.metrics.k8s.io/v1beta1"));
        Assert.That(d["resources"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("serval-desired-replicas"));
        Assert.That(d["resources"]![0]!["namespaced"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Server_ServesTheListOverHttpsWithASelfSignedCertificate()
    {
        await using var server = await ExternalMetricsServer.StartAsync(StoreWith(7), IPAddress.Loopback, 0, null, CancellationToken.None);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Subject == "CN=serval-external-metrics" };
        using var http = new HttpClient(handler) { BaseAddress = server.Url };

        var text = await http.GetStringAsync(new Uri("apis/external.metrics.k8s.io/v1beta1/namespaces/default/serval-desired-replicas?labelSelector=" + Uri.EscapeDataString(Selector), UriKind.Relative));
        var discovery = await http.GetStringAsync(new Uri("apis/external.metrics.k8s.io/v1beta1", UriKind.Relative));

        Assert.That(server.Url.Scheme, Is.EqualTo("https"));
        Assert.That(JsonNode.Parse(text)!["items"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("7"));
        Assert.That(JsonNode.Parse(discovery)!["kind"]!.GetValue<string>(), Is.EqualTo("APIResourceList"));
    }
}
