using System.Text.Json.Nodes;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Kubectl;

/// <summary>
/// The real kubectl with Serval's own CRD (crds/, generated from Serval.Api) and the samples a user copies: they apply
/// client-side and server-side, re-apply unchanged, print their columns, and every invalid sample is refused by the
/// API server with the message it documents.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ServalSamplesTests
{
    private EmbeddedApiServer _server = null!;
    private KubectlRunner _kubectl = null!;
    private string _directory = null!;
    private int _namespaces;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions());
        _directory = Directory.CreateTempSubdirectory("serval-samples-tests-").FullName;
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        _server.WriteKubeconfig(kubeconfig);
        _kubectl = new KubectlRunner(kubeconfig);
        await MustAsync("apply", "-f", Repository.Path("crds/serving.serval.dev_inferenceservices.yaml"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task ApplySamples_ThenAgain_CreatesThenLeavesThemUnchanged()
    {
        var ns = NewNamespace();

        var first = await MustAsync("apply", "-n", ns, "-f", Repository.Path("samples"));
        var second = await MustAsync("apply", "-n", ns, "-f", Repository.Path("samples"));

        var created = Lines(first.Stdout);
        Assert.That(created, Is.Not.Empty.And.All.EndsWith(" created"));
        Assert.That(created.Count(l => l.StartsWith("inferenceservice.serving.serval.dev/", StringComparison.Ordinal)), Is.EqualTo(SampleServices().Count));
        // A Secret written with stringData reads back as data, so kubectl always finds a difference (as on any cluster).
        Assert.That(Lines(second.Stdout).Where(l => !l.StartsWith("secret/", StringComparison.Ordinal)), Is.Not.Empty.And.All.EndsWith(" unchanged"));
    }

    [Test]
    public async Task ApplySamplesServerSide_AppliesEachObject()
    {
        var ns = NewNamespace();

        var result = await MustAsync("apply", "--server-side", "-n", ns, "-f", Repository.Path("samples"));

        Assert.That(Lines(result.Stdout), Is.Not.Empty.And.All.EndsWith(" serverside-applied"));
        Assert.That(_server.List("serving.serval.dev/v1alpha1", "InferenceService", ns).Count, Is.EqualTo(SampleServices().Count));
    }

    [Test]
    public async Task GetSisvc_PrintsTheInferenceServiceColumns()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", Repository.Path("samples/quickstart.yaml"));

        var table = await MustAsync("get", "sisvc", "-n", ns);

        Assert.That(table.Stdout, Does.Match(@"^NAME\s+READY\s+URL\s+REPLICAS\s+CANARY\s+P95MS\s+RPS\s+AGE\s*\nmlp\s+\d+s"));
    }

    [Test]
    public async Task WaitForReady_ReturnsOnceTheStatusSaysSo()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", Repository.Path("samples/quickstart.yaml"));

        using var wait = _kubectl.Start("wait", "--for=condition=Ready", "sisvc/mlp", "-n", ns, "--timeout=60s");
        await Eventually.TrueAsync(() => _server.Requests.Count(r => r.Verb == "watch" && r.Resource == "inferenceservices" && r.Namespace == ns) > 0,
            "kubectl wait to start watching");
        var service = _server.Get("serving.serval.dev/v1alpha1", "InferenceService", ns, "mlp")!;
        service["status"] = new JsonObject
        {
            ["observedGeneration"] = 1,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = "True", ["reason"] = "Serving", ["message"] = "1 replica ready",
                ["lastTransitionTime"] = "2026-01-01T00:00:00Z", ["observedGeneration"] = 1,
            }),
        };
        _server.UpdateStatus(service);

        await wait.Process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        await wait.DrainAsync();
        Assert.That(wait.Process.ExitCode, Is.Zero, wait.Stderr);
        Assert.That(wait.Stdout, Does.Contain("inferenceservice.serving.serval.dev/mlp condition met"));
    }

    [TestCaseSource(nameof(InvalidSamples))]
    public async Task ApplyInvalidSample_IsRefusedWithItsDocumentedMessage(string file)
    {
        var expected = File.ReadLines(file).First(l => l.StartsWith("# expect: ", StringComparison.Ordinal))["# expect: ".Length..];

        var result = await _kubectl.RunAsync("apply", "-n", NewNamespace(), "-f", file);

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Stderr, Does.Contain(expected), result.ToString());
    }

    public static IEnumerable<TestCaseData> InvalidSamples() =>
        Directory.GetFiles(Repository.Path("samples/invalid"), "*.yaml").Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(f).SetArgDisplayNames(Path.GetFileNameWithoutExtension(f)));

    private static List<string> SampleServices() =>
        Directory.GetFiles(Repository.Path("samples"), "*.yaml")
            .SelectMany(f => Serval.LocalCluster.Json.YamlJson.ParseDocuments(File.ReadAllText(f)))
            .Where(o => o["kind"]?.GetValue<string>() == "InferenceService")
            .Select(o => o["metadata"]!["name"]!.GetValue<string>())
            .ToList();

    private static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private async Task<KubectlResult> MustAsync(params string[] args)
    {
        var result = await _kubectl.RunAsync(args);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return result;
    }

    private string NewNamespace()
    {
        var name = $"samples-{Interlocked.Increment(ref _namespaces)}";
        _server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });
        return name;
    }
}
