using System.Net;
using System.Text.RegularExpressions;
using Serval.Worker.Tests.Support;

namespace Serval.Worker.Tests.Executable;

/// <summary>The executable's contract: exit codes, messages, and shutdown on SIGTERM.</summary>
public sealed partial class WorkerExecutableTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task BadFlagValue_ExitsWith2NamingTheFlagAndValue()
    {
        using var worker = WorkerProcess.Start("--model", "m.onnx", "--max-batch-size", "many");

        var code = await worker.WaitForExitAsync(Timeout);

        Assert.That((code, worker.Output.Trim()), Is.EqualTo((2,
            "serval-worker: invalid value 'many' for --max-batch-size: expected a whole number from 1 to 1048576")));
    }

    [Test]
    public async Task Help_ExitsWith0AndPrintsUsage()
    {
        using var worker = WorkerProcess.Start("--help");

        var code = await worker.WaitForExitAsync(Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(worker.Output, Does.StartWith("usage: serval-worker --model URI"));
        });
    }

    [Test]
    public async Task Sha256Mismatch_ExitsNonZeroWithALogLine()
    {
        using var directory = new TempDirectory();
        var model = directory.Write("mlp.onnx", SampleModels.SampleModels.Mlp());
        using var worker = WorkerProcess.Start("--model", model, "--model-sha256", new string('a', 64), "--host", "127.0.0.1", "--port", "0");

        var code = await worker.WaitForExitAsync(Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(worker.Output, Does.Contain("Refusing model").And.Contain("sha256 mismatch, expected " + new string('a', 64)));
        });
    }

    [Test]
    public async Task Sigterm_AfterServing_ExitsWith0()
    {
        using var directory = new TempDirectory();
        var model = directory.Write("mlp.onnx", SampleModels.SampleModels.Mlp());
        using var worker = WorkerProcess.Start("--model", model, "--host", "127.0.0.1", "--port", "0");
        Assert.That(await worker.WaitForOutputAsync("serving at http://", Timeout), Is.True, worker.Output);
        var address = AddressPattern().Match(worker.Output).Groups[1].Value;
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        using var ready = await client.GetAsync("v2/health/ready");

        worker.Terminate();
        var code = await worker.WaitForExitAsync(Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(code, Is.Zero);
            Assert.That(worker.Output, Does.Contain("Model mlp stopped"));
        });
    }

    [GeneratedRegex(@"serving at (http://\S+/)")]
    private static partial Regex AddressPattern();
}
