using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Serval.Bench.Worker;

/// <summary>
/// The Node peer (node-peer/server.js on onnxruntime-node): installed with npm on first use, started as
/// its own process.
/// </summary>
internal static partial class NodePeer
{
    private const string OrtNodeVersion = "1.30.0";

    /// <summary>Installs node-peer's packages when missing; returns the Node version, or null with the reason when Node is unavailable.</summary>
    public static async Task<(string? NodeVersion, string? Unavailable)> PrepareAsync(string directory)
    {
        var version = await RunAsync("node", ["--version"], directory, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (version.ExitCode != 0)
        {
            return (null, $"node is not installed ({version.Output.Trim()})");
        }

        var installed = Path.Combine(directory, "node_modules", "onnxruntime-node", "package.json");
        if (!File.Exists(installed) || InstalledVersion(installed) != OrtNodeVersion)
        {
            Console.WriteLine($"  installing onnxruntime-node {OrtNodeVersion} for the Node peer (npm ci)...");
            // The CPU build is inside the package; the CUDA download of its install script is not wanted.
            var npm = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], directory, TimeSpan.FromMinutes(5),
                new Dictionary<string, string> { ["ONNXRUNTIME_NODE_INSTALL_CUDA"] = "skip" }).ConfigureAwait(false);
            if (npm.ExitCode != 0 || !File.Exists(installed))
            {
                return (null, $"npm ci failed ({npm.ExitCode}): {npm.Output.Trim()}");
            }
        }

        return (version.Output.Trim(), null);
    }

    public static Task<ServerProcess> StartAsync(string directory, string modelPath, string name) =>
        ServerProcess.StartAsync(
            "node", ["server.js", "--model", modelPath, "--name", name, "--port", "0", "--host", "127.0.0.1"],
            ListeningLine(),
            m => new Uri($"http://127.0.0.1:{int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)}/"),
            TimeSpan.FromSeconds(60),
            directory);

    [GeneratedRegex(@"^listening (\d+)$")]
    private static partial Regex ListeningLine();

    private static string? InstalledVersion(string packageJson)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(packageJson));
        return document.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, string[] arguments, string directory, TimeSpan timeout, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return (process.ExitCode, await output.ConfigureAwait(false) + await error.ConfigureAwait(false));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
