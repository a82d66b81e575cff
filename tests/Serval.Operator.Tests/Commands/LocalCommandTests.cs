using k8s;
using Serval.Operator.Commands;

namespace Serval.Operator.Tests.Commands;

/// <summary>`serval-operator local` run in-process: it serves the API with Serval's CRD, applies files, writes a kubeconfig, prints what to try.</summary>
[TestFixture]
public sealed class LocalCommandTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("serval-local-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Run_ServesTheCrdAndTheAppliedFiles_ThroughTheKubeconfigItWrites()
    {
        using var stop = new CancellationTokenSource();
        var stdout = new StringWriter();
        var run = LocalCommand.RunAsync(["--port", "0", "--state-dir", _directory, "--apply", Repository("samples/quickstart.yaml")],
            TextWriter.Synchronized(stdout), TextWriter.Null, stop.Token);
        var kubeconfig = await KubeconfigAsync(run);

        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("inferenceservices.serving.serval.dev");
        var mlp = await client.CustomObjects.GetNamespacedCustomObjectAsync("serving.serval.dev", "v1alpha1", "default", "inferenceservices", "mlp");
        await stop.CancelAsync();

        Assert.That(crd.Spec.Names.ShortNames, Does.Contain("sisvc"));
        Assert.That(mlp, Is.Not.Null);
        Assert.That(await run, Is.Zero);
        Assert.That(stdout.ToString(), Does.Contain("applied 2 object(s) from").And.Contain(kubeconfig).And.Contain("/v2/models/mlp/infer"));
    }

    [Test]
    public async Task Run_Restarted_KeepsObjectsInTheStateDirectory()
    {
        using (var first = new CancellationTokenSource())
        {
            var run = LocalCommand.RunAsync(["--state-dir", _directory, "--apply", Repository("samples/quickstart.yaml")], TextWriter.Null, TextWriter.Null, first.Token);
            await KubeconfigAsync(run);
            await first.CancelAsync();
            Assert.That(await run, Is.Zero);
        }

        File.Delete(Path.Combine(_directory, "kubeconfig"));
        using var second = new CancellationTokenSource();
        var again = LocalCommand.RunAsync(["--state-dir", _directory], TextWriter.Null, TextWriter.Null, second.Token);
        var kubeconfig = await KubeconfigAsync(again);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

        var configMap = await client.CoreV1.ReadNamespacedConfigMapAsync("mlp-model", "default");
        await second.CancelAsync();

        Assert.That(configMap.BinaryData, Contains.Key("mlp.onnx"));
        Assert.That(await again, Is.Zero);
    }

    [Test]
    public async Task Run_BadFlag_ExitsTwoNamingIt()
    {
        var stderr = new StringWriter();

        var code = await LocalCommand.RunAsync(["--port", "many"], TextWriter.Null, stderr, CancellationToken.None);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.ToString(), Does.Contain("--port many: must be a number"));
    }

    [Test]
    public async Task Run_MissingApplyFile_ExitsTwoNamingIt()
    {
        var stderr = new StringWriter();

        var code = await LocalCommand.RunAsync(["--state-dir", _directory, "--apply", "/nonexistent/x.yaml"], TextWriter.Null, stderr, CancellationToken.None);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.ToString(), Does.Contain("--apply /nonexistent/x.yaml: no such file"));
    }

    private async Task<string> KubeconfigAsync(Task<int> run)
    {
        var path = Path.Combine(_directory, "kubeconfig");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(path))
        {
            if (run.IsCompleted)
            {
                Assert.Fail($"serval-operator local exited with {await run} before writing {path}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"serval-operator local did not write {path} within 30 s");
            }

            await Task.Delay(20);
        }

        return path;
    }

    private static string Repository(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new InvalidOperationException("no Operator.sln above the test assembly");
    }
}
