using System.Diagnostics;

namespace Serval.Packaging.Tests.Support;

/// <summary>
/// Runs a real command-line tool (helm, kubectl, lua5.4, dotnet) with its own HOME, each call bounded by a timeout.
/// A missing tool fails the test with where it was looked for: these tests exist to prove the files work with it.
/// </summary>
internal sealed class Tool : IDisposable
{
    private readonly string _binary;
    private readonly string _home;
    private readonly IReadOnlyList<string> _leadingArgs;

    private Tool(string binary, IReadOnlyList<string> leadingArgs)
    {
        _binary = binary;
        _leadingArgs = leadingArgs;
        _home = Directory.CreateTempSubdirectory("serval-tool-home-").FullName;
    }

    public string HomeDirectory => _home;

    /// <summary>The real helm: on PATH or where .ci/run installs it (.tools/bin/helm).</summary>
    public static Tool Helm(string? kubeconfig = null)
    {
        var binary = Find("helm", Repository.Path(".tools", "bin", "helm"))
            ?? throw new AssertionException("helm is required by these tests and was found neither on PATH nor at .tools/bin/helm; run .ci/run (it installs helm 4) or put helm on PATH");
        return new Tool(binary, kubeconfig is null ? [] : ["--kubeconfig", kubeconfig]);
    }

    /// <summary>The real kubectl at /usr/bin/kubectl (or on PATH).</summary>
    public static Tool Kubectl(string kubeconfig)
    {
        var binary = Find("kubectl", "/usr/bin/kubectl")
            ?? throw new AssertionException("kubectl is required by these tests and was found neither at /usr/bin/kubectl nor on PATH");
        return new Tool(binary, ["--kubeconfig", kubeconfig]);
    }

    /// <summary>Debian's Lua 5.4 interpreter, which .ci/run installs.</summary>
    public static Tool Lua()
    {
        var binary = Find("lua5.4", "/usr/bin/lua5.4")
            ?? throw new AssertionException("lua5.4 is required by these tests and was not found; run .ci/run (it installs the Debian package lua5.4)");
        return new Tool(binary, []);
    }

    public Task<ToolResult> RunAsync(params string[] args) => RunAsync(TimeSpan.FromSeconds(60), null, args);

    public async Task<ToolResult> RunAsync(TimeSpan timeout, string? stdin, params string[] args)
    {
        var info = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in _leadingArgs.Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["HOME"] = _home;
        info.Environment["XDG_CACHE_HOME"] = System.IO.Path.Combine(_home, "cache");
        info.Environment["XDG_CONFIG_HOME"] = System.IO.Path.Combine(_home, "config");
        info.Environment["XDG_DATA_HOME"] = System.IO.Path.Combine(_home, "data");
        info.Environment.Remove("KUBECONFIG");
        var command = $"{System.IO.Path.GetFileName(_binary)} {string.Join(' ', args)}";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{command} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{command} did not finish within {timeout}");
        }

        return new ToolResult(command, process.ExitCode, await stdout, await stderr);
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

    private static string? Find(string name, string fallback)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return File.Exists(fallback) ? fallback : null;
    }
}
