using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Serval.EndToEnd.Tests.TestSupport;

namespace Serval.EndToEnd.Tests;

/// <summary>`serval-operator local` as a user runs it: a real process, stopped by a signal, leaves no worker behind.</summary>
[TestFixture]
public sealed partial class ShutdownTests
{
    [GeneratedRegex(@"default/mlp\s+(http://127\.0\.0\.1:\d+)")]
    private static partial Regex ServiceUrl();

    private static string OperatorExecutable()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Repository.File($"operator/Serval.Operator/bin/{configuration}/net10.0/serval-operator");
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: build the solution first");
        }

        return path;
    }

    [TestCase("TERM")]
    [TestCase("INT")]
    public async Task Signal_StopsTheOperatorAndEveryWorkerProcess(string signal)
    {
        var state = Directory.CreateTempSubdirectory("serval-e2e-run-").FullName;
        // A terminal's Ctrl-C reaches a process whose SIGINT is at its default disposition, but a runner started in
        // the background ignores SIGINT and every child inherits that (POSIX), so the operator is started through
        // an exec that restores the default first (the PID stays the operator's).
        var info = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])");
        info.ArgumentList.Add(OperatorExecutable());
        foreach (var arg in new[] { "local", "--port", "0", "--state-dir", state, "--apply", "samples/quickstart.yaml" })
        {
            info.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string Output() { lock (output) { return output.ToString(); } }
        try
        {
            var url = (await Eventually.ValueAsync(() => ServiceUrl().Match(Output()), m => m.Success || process.HasExited, "the banner's URL", TimeSpan.FromSeconds(60))).Groups[1].Value;
            Assert.That(url, Is.Not.Empty, Output());
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await Eventually.ValueAsync(() => Samples.InferAsync(http, url, "mlp"), a => a.Status == 200, "the quickstart model to answer at the printed URL", TimeSpan.FromSeconds(90));
            var workers = WorkerProcesses.Of(state);
            Assert.That(workers, Is.Not.Empty, "the model was served by a worker process");

            using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exited.Token);

            Assert.That(process.ExitCode, Is.Zero, Output());
            Assert.That(Output(), Does.Contain("kubectl --kubeconfig").And.Contain("/v2/models/mlp/infer").And.Contain("serval-operator local: stopped"));
            Assert.That(workers.Where(pid => Directory.Exists($"/proc/{pid}")), Is.Empty, "no worker process outlives serval-operator");
            Assert.That(WorkerProcesses.Of(state), Is.Empty);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(state, recursive: true);
        }
    }
}
