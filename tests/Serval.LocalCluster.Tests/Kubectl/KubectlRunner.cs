using System.Diagnostics;

namespace Serval.LocalCluster.Tests.Kubectl;

/// <summary>
/// Runs the real kubectl against a kubeconfig, with its own HOME and discovery cache, each call bounded by a timeout.
/// A missing kubectl fails the tests loudly: they exist to prove compatibility with it.
/// </summary>
internal sealed class KubectlRunner : IDisposable
{
    public const string Binary = "/usr/bin/kubectl";

    private readonly string _home;
    private readonly string _kubeconfig;

    public KubectlRunner(string kubeconfig)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"kubectl is required for these tests and was not found at {Binary}");
        }

        _kubeconfig = kubeconfig;
        _home = Directory.CreateTempSubdirectory("serval-kubectl-").FullName;
    }

    public async Task<KubectlResult> RunAsync(params string[] args) => await RunAsync(TimeSpan.FromSeconds(30), args);

    public async Task<KubectlResult> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var process = Start(args);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.Process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Process.Kill(entireProcessTree: true);
            Assert.Fail($"kubectl {string.Join(' ', args)} did not finish within {timeout}\nstdout:\n{process.Stdout}\nstderr:\n{process.Stderr}");
        }

        await process.DrainAsync();
        return new KubectlResult(process.Process.ExitCode, process.Stdout, process.Stderr, args);
    }

    /// <summary>Starts kubectl and leaves it running (watches, waits); the caller disposes it.</summary>
    public KubectlProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(_kubeconfig);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(Path.Combine(_home, "cache"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["HOME"] = _home;
        info.Environment.Remove("KUBECONFIG");
        return new KubectlProcess(Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
