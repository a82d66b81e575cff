using k8s;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Client;

/// <summary>Label and field selectors, and limit/continue paging.</summary>
[TestFixture]
public sealed class ListTests
{
    private EmbeddedApiServer _server = null!;
    private Kubernetes _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions());
        _client = new Kubernetes(_server.ClientConfiguration());
        var tiers = new[] { "gold", "silver", "bronze", "gold", "silver" };
        for (var i = 0; i < tiers.Length; i++)
        {
            var labels = new Dictionary<string, string> { ["tier"] = tiers[i] };
            if (i % 2 == 0)
            {
                labels["even"] = "yes";
            }

            await _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap($"cm-{i}", labels), "default");
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [TestCase("tier=gold", new[] { "cm-0", "cm-3" })]
    [TestCase("tier==gold", new[] { "cm-0", "cm-3" })]
    [TestCase("tier!=gold", new[] { "cm-1", "cm-2", "cm-4" })]
    [TestCase("tier in (gold,bronze)", new[] { "cm-0", "cm-2", "cm-3" })]
    [TestCase("tier notin (gold,bronze)", new[] { "cm-1", "cm-4" })]
    [TestCase("even", new[] { "cm-0", "cm-2", "cm-4" })]
    [TestCase("!even", new[] { "cm-1", "cm-3" })]
    [TestCase("tier=silver,even", new[] { "cm-4" })]
    public async Task List_WithLabelSelector_ReturnsTheMatchingObjects(string selector, string[] expected)
    {
        var list = await _client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: selector);

        Assert.That(list.Items.Select(i => i.Metadata.Name), Is.EqualTo(expected));
    }

    [Test]
    public async Task List_WithFieldSelectorOnName_ReturnsThatObject()
    {
        var list = await _client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "metadata.name=cm-2");

        Assert.That(list.Items.Select(i => i.Metadata.Name), Is.EqualTo(new[] { "cm-2" }));
    }

    [Test]
    public async Task List_WithFieldSelectorOnNamespace_ExcludesOthers()
    {
        var list = await _client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "metadata.namespace!=default");

        Assert.That(list.Items, Is.Empty);
    }

    [Test]
    public async Task List_WithUnsupportedFieldLabel_IsBadRequest()
    {
        var (code, status) = await ApiErrors.CatchAsync(() => _client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "data.k=v"));

        Assert.That(code, Is.EqualTo(400));
        Assert.That(status["message"]!.GetValue<string>(), Is.EqualTo("field label not supported: data.k"));
    }

    [Test]
    public async Task List_WithLimit_PagesThroughEverythingOnce()
    {
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: token);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.That(names, Is.EqualTo(new[] { "cm-0", "cm-1", "cm-2", "cm-3", "cm-4" }));
        Assert.That(pages, Is.EqualTo(3));
    }

    [Test]
    public async Task List_FirstPage_ReportsRemainingItems()
    {
        var page = await _client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2);

        Assert.That(page.Metadata.RemainingItemCount, Is.EqualTo(3));
    }
}
