using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Serval.Worker.Inference;
using Serval.Worker.Models;
using Serval.Worker.Tests.Support;

namespace Serval.Worker.Tests.Models;

public sealed class ModelSourceTests
{
    private static readonly byte[] Mlp = SampleModels.SampleModels.Mlp();
    private static readonly string MlpSha256 = Convert.ToHexStringLower(SHA256.HashData(Mlp));
    private static readonly string Request = File.ReadAllText(RepositoryPaths.Combine("samples", "requests", "mlp.json"));

    private static async Task<TestWorker> StartFrom(string model, string? sha256 = null, string? modelFile = null, bool waitReady = true) =>
        await TestWorker.StartAsync([0], "unused", o => o with { Model = model, ModelSha256 = sha256, ModelFile = modelFile }, waitReady);

    [Test]
    public async Task Download_FromAnHttpServer_VerifiesAndServesTheModel()
    {
        await using var server = await ModelServer.StartAsync(new Dictionary<string, byte[]> { ["models/mlp.onnx"] = Mlp });
        await using var worker = await StartFrom(new Uri(server.Address, "models/mlp.onnx").ToString(), MlpSha256);

        using var response = await worker.InferAsync(Request);

        Assert.Multiple(() =>
        {
            Assert.That((worker.Name, response.StatusCode), Is.EqualTo(("mlp", HttpStatusCode.OK)));
            Assert.That(worker.Logs.Lines, Has.Some.Contains("Downloaded http://127.0.0.1").And.Some.Contains($"sha256 verified: {MlpSha256}"));
        });
    }

    [Test]
    public async Task Download_Sha256Mismatch_IsRefusedWithAClearLogLine()
    {
        await using var server = await ModelServer.StartAsync(new Dictionary<string, byte[]> { ["mlp.onnx"] = Mlp });
        var wrong = new string('0', 64);
        await using var worker = await StartFrom(new Uri(server.Address, "mlp.onnx").ToString(), wrong, waitReady: false);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => worker.Host.Ready.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain($"model sha256 mismatch").And.Contain($"expected {wrong}, got {MlpSha256}"));
            Assert.That(worker.Logs.Lines, Has.Some.StartsWith("Error").And.Contains($"sha256 mismatch, expected {wrong}, got {MlpSha256}"));
            Assert.That(() => worker.Host.Completion.WaitAsync(TimeSpan.FromSeconds(30)), Throws.InstanceOf<ModelLoadException>());
        });
    }

    [Test]
    public async Task LocalFile_Sha256Mismatch_IsRefused()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("mlp.onnx", Mlp);
        await using var worker = await StartFrom(path, new string('f', 64), waitReady: false);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => worker.Host.Ready.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.That(error!.Message, Does.Contain("sha256 mismatch"));
    }

    [Test]
    public async Task Download_NotFound_IsRefusedNamingTheStatus()
    {
        await using var server = await ModelServer.StartAsync(new Dictionary<string, byte[]>());
        await using var worker = await StartFrom(new Uri(server.Address, "missing.onnx").ToString(), waitReady: false);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => worker.Host.Ready.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.That(error!.Message, Does.Contain("missing.onnx").And.Contain("HTTP 404"));
    }

    [Test]
    public async Task WhileTheModelDownloads_LiveAnswersAndEverythingElseIsNotReady()
    {
        await using var server = await ModelServer.StartAsync(new Dictionary<string, byte[]> { ["mlp.onnx"] = Mlp }, hold: true);
        await using var worker = await StartFrom(new Uri(server.Address, "mlp.onnx").ToString(), waitReady: false);

        using var live = await worker.Client.GetAsync("v2/health/live");
        using var ready = await worker.Client.GetAsync("v2/health/ready");
        using var modelReady = await worker.Client.GetAsync("v2/models/mlp/ready");
        using var infer = await worker.InferAsync(Request);
        var inferError = (string?)JsonNode.Parse(await infer.Content.ReadAsStringAsync())!["error"];
        server.Release.TrySetResult();
        await worker.Host.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        using var readyLater = await worker.Client.GetAsync("v2/health/ready");

        Assert.That(
            (live.StatusCode, ready.StatusCode, modelReady.StatusCode, infer.StatusCode, inferError, readyLater.StatusCode),
            Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable,
                "model 'mlp' is not ready", HttpStatusCode.OK)));
    }

    [Test]
    public async Task ConfigMapMount_LoadsTheSingleModelFile()
    {
        // The layout the kubelet gives a ConfigMap volume: visible links into a hidden, timestamped folder.
        using var directory = new TempDirectory();
        var data = Path.Combine(directory.Path, "..2026_01_01_00_00_00.000000001");
        Directory.CreateDirectory(data);
        File.WriteAllBytes(Path.Combine(data, "mlp.onnx"), Mlp);
        File.CreateSymbolicLink(Path.Combine(directory.Path, "..data"), data);
        File.CreateSymbolicLink(Path.Combine(directory.Path, "mlp.onnx"), Path.Combine("..data", "mlp.onnx"));

        await using var worker = await StartFrom(directory.Path);
        using var response = await worker.InferAsync(Request);

        Assert.That((worker.Name, response.StatusCode), Is.EqualTo(("mlp", HttpStatusCode.OK)));
    }

    [Test]
    public void DirectoryWithTwoModels_IsRefusedNamingBoth()
    {
        using var directory = new TempDirectory();
        directory.Write("a.onnx", Mlp);
        directory.Write("b.onnx", Mlp);

        Assert.That(() => ModelFetcher.LocalPath(directory.Path, null),
            Throws.InstanceOf<ModelLoadException>().With.Message.Contains("2 .onnx files (a.onnx, b.onnx); choose one with --model-file"));
    }

    [Test]
    public void DirectoryWithTwoModels_ModelFileChoosesOne()
    {
        using var directory = new TempDirectory();
        directory.Write("a.onnx", Mlp);
        var b = directory.Write("b.onnx", Mlp);

        Assert.That(ModelFetcher.LocalPath(directory.Path, "b.onnx"), Is.EqualTo(b));
    }

    [Test]
    public void EmptyDirectory_IsRefused()
    {
        using var directory = new TempDirectory();

        Assert.That(() => ModelFetcher.LocalPath(directory.Path, null),
            Throws.InstanceOf<ModelLoadException>().With.Message.Contains("holds no .onnx file"));
    }

    [Test]
    public void FileUri_ResolvesToThePath()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("m.onnx", Mlp);

        Assert.That(ModelFetcher.LocalPath(new Uri(path).ToString(), null), Is.EqualTo(path));
    }

    [TestCase("pvc://claim/model.onnx")]
    [TestCase("s3://bucket/model.onnx")]
    public void UnsupportedScheme_IsRefusedNamingTheUri(string model)
    {
        Assert.That(() => ModelFetcher.LocalPath(model, null),
            Throws.InstanceOf<ModelLoadException>().With.Message.StartsWith($"--model '{model}': unsupported scheme"));
    }

    [Test]
    public void MissingFile_IsRefused()
    {
        Assert.That(() => ModelFetcher.LocalPath("/no/such/model.onnx", null),
            Throws.InstanceOf<ModelLoadException>().With.Message.EqualTo("--model '/no/such/model.onnx': no such file or directory"));
    }

    [Test]
    public async Task FileThatIsNotAModel_IsRefusedByTheRuntime()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("broken.onnx", "not a model"u8.ToArray());
        await using var worker = await StartFrom(path, waitReady: false);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => worker.Host.Ready.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.That(error!.Message, Does.StartWith($"ONNX Runtime cannot load '{path}'"));
    }

    [TestCase("https://models.example/v3/resnet50.onnx", null, "resnet50")]
    [TestCase("/models/", null, "models")]
    [TestCase("file:///srv/m/mlp-v2.onnx", null, "mlp-v2")]
    [TestCase("/mnt/model", "classifier.onnx", "classifier")]
    public void DefaultName_IsTheFileNameWithoutExtension(string model, string? modelFile, string expected)
    {
        Assert.That(ModelFetcher.DefaultName(model, modelFile), Is.EqualTo(expected));
    }
}
