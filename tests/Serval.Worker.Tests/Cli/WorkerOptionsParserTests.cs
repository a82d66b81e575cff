using Serval.Worker.Cli;

namespace Serval.Worker.Tests.Cli;

public sealed class WorkerOptionsParserTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static WorkerOptions Parse(params string[] args)
    {
        var parsed = WorkerOptionsParser.Parse(args, NoEnvironment);
        Assert.That(parsed.Error, Is.Null);
        return parsed.Options!;
    }

    private static string Error(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        WorkerOptionsParser.Parse(args, environment).Error ?? throw new AssertionException("expected an error");

    [Test]
    public void Parse_OnlyModel_UsesTheDocumentedDefaults()
    {
        var options = Parse("--model", "m.onnx");

        Assert.That(options, Is.EqualTo(new WorkerOptions
        {
            Model = "m.onnx",
            Host = "0.0.0.0",
            Port = 8080,
            MaxBatchSize = 16,
            MaxQueueDelayMicroseconds = 500,
            MaxQueueLength = 256,
            ExecutionProvider = ExecutionProviderKind.Auto,
        }));
    }

    [Test]
    public void Parse_EveryFlag_SetsItsOption()
    {
        var options = Parse(
            "--model", "http://h/m.onnx", "--model-sha256", new string('A', 64), "--model-file", "x.onnx", "--name", "m-1",
            "--host", "127.0.0.1", "--port", "0", "--max-batch-size", "32", "--max-queue-delay-us", "0", "--max-queue-length", "5",
            "--instances", "2", "--execution-provider", "cuda", "--intra-op-threads", "3", "--inter-op-threads", "4",
            "--auth-token-file", "/t", "--max-request-bytes", "2048", "--max-tensor-elements", "10", "--request-timeout-ms", "7",
            "--download-timeout-s", "8", "--shutdown-timeout-s", "9");

        Assert.That(options, Is.EqualTo(new WorkerOptions
        {
            Model = "http://h/m.onnx",
            ModelSha256 = new string('a', 64),
            ModelFile = "x.onnx",
            Name = "m-1",
            Host = "127.0.0.1",
            Port = 0,
            MaxBatchSize = 32,
            MaxQueueDelayMicroseconds = 0,
            MaxQueueLength = 5,
            Instances = 2,
            ExecutionProvider = ExecutionProviderKind.Cuda,
            IntraOpThreads = 3,
            InterOpThreads = 4,
            AuthTokenFile = "/t",
            MaxRequestBytes = 2048,
            MaxTensorElements = 10,
            RequestTimeoutMilliseconds = 7,
            DownloadTimeoutSeconds = 8,
            ShutdownTimeoutSeconds = 9,
        }));
    }

    [Test]
    public void Parse_FlagWithEquals_IsRead()
    {
        Assert.That(Parse("--model=m.onnx", "--port=9000").Port, Is.EqualTo(9000));
    }

    [Test]
    public void Parse_EnvironmentVariable_SetsTheOption()
    {
        var parsed = WorkerOptionsParser.Parse([], new Dictionary<string, string>
        {
            ["SERVAL_WORKER_MODEL"] = "/models/m.onnx",
            ["SERVAL_WORKER_MAX_BATCH_SIZE"] = "4",
        });

        Assert.That((parsed.Options?.Model, parsed.Options?.MaxBatchSize), Is.EqualTo(("/models/m.onnx", (int?)4)));
    }

    [Test]
    public void Parse_FlagAndEnvironment_FlagWins()
    {
        var parsed = WorkerOptionsParser.Parse(["--model", "m.onnx", "--port", "9001"], new Dictionary<string, string> { ["SERVAL_WORKER_PORT"] = "9002" });

        Assert.That(parsed.Options?.Port, Is.EqualTo(9001));
    }

    [TestCase("--max-batch-size", "abc")]
    [TestCase("--max-batch-size", "0")]
    [TestCase("--port", "70000")]
    [TestCase("--port", "-1")]
    [TestCase("--execution-provider", "Tpu")]
    [TestCase("--execution-provider", "1")]
    [TestCase("--model-sha256", "abc")]
    [TestCase("--name", "bad name")]
    [TestCase("--host", "not-an-address")]
    [TestCase("--model-file", "../x.onnx")]
    [TestCase("--request-timeout-ms", "1.5")]
    public void Parse_BadValue_ErrorNamesTheFlagAndTheValue(string flag, string value)
    {
        var error = Error(NoEnvironment, "--model", "m.onnx", flag, value);

        Assert.That(error, Does.Contain(flag).And.Contain($"'{value}'"));
    }

    [Test]
    public void Parse_BadEnvironmentValue_ErrorNamesTheVariable()
    {
        var error = Error(new Dictionary<string, string> { ["SERVAL_WORKER_MAX_QUEUE_LENGTH"] = "lots" }, "--model", "m.onnx");

        Assert.That(error, Does.Contain("SERVAL_WORKER_MAX_QUEUE_LENGTH").And.Contain("'lots'"));
    }

    [Test]
    public void Parse_UnknownFlag_IsAnError()
    {
        Assert.That(Error(NoEnvironment, "--model", "m.onnx", "--max-batch", "3"), Does.Contain("unknown flag '--max-batch'"));
    }

    [Test]
    public void Parse_FlagWithoutValue_IsAnError()
    {
        Assert.That(Error(NoEnvironment, "--model", "m.onnx", "--port"), Does.Contain("'--port' needs a value"));
    }

    [Test]
    public void Parse_NoModel_IsAnError()
    {
        Assert.That(Error(NoEnvironment, "--port", "1"), Does.Contain("--model is required"));
    }

    [Test]
    public void Parse_Help_AsksForHelp()
    {
        Assert.That(WorkerOptionsParser.Parse(["--help"], NoEnvironment).ShowHelp, Is.True);
    }

    [Test]
    public void HelpText_ListsEveryFlagAndTheDirectoryRule()
    {
        var help = WorkerOptionsParser.HelpText();

        Assert.That(help, Does.Contain("--model URI").And.Contain("--max-queue-delay-us N").And.Contain("--auth-token-file PATH")
            .And.Contain("exactly one .onnx file").And.Contain("SERVAL_WORKER_MAX_BATCH_SIZE"));
    }
}
