using System.Diagnostics;

namespace Serval.EndToEnd.Tests.TestSupport;

/// <summary>The real kubectl against a kubeconfig, with its own discovery cache; each call bounded by a timeout.</summary>
internal static class Kubectl
{
    public const string Binary = "/usr/bin/kubectl";

    public static async Task<string> RunAsync(string kubeconfig, params string[] args)
    {
        if (!File.Exists(Binary))
        {
            Assert.Fail($"kubectl is required for the end-to-end tests and was not found at {Binary}");
        }

        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(kubeconfig);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(Path.Combine(Path.GetDirectoryName(kubeconfig)!, "kubectl-cache"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"kubectl {string.Join(' ', args)} did not finish within 60 s");
        }

        if (process.ExitCode != 0)
        {
            Assert.Fail($"kubectl {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }
}
