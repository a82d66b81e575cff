using System.Globalization;
using System.Runtime.InteropServices;
using Serval.Api.Crd;
using Serval.LocalCluster;
using Serval.LocalCluster.Server;

namespace Serval.Operator.Commands;

/// <summary>
/// `serval-operator local [--port N] [--state-dir DIR] [--apply FILE ...]`: serves the embedded API server on
/// 127.0.0.1 with Serval's CRD installed, applies the given manifests, writes DIR/kubeconfig and runs until
/// SIGINT or SIGTERM. Objects persist in DIR, so a restart keeps them.
/// </summary>
internal static class LocalCommand
{
    public const string DefaultStateDirectory = ".serval";

    public static async Task<int> RunAsync(string[] args)
    {
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            return await RunAsync(args, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs the command until <paramref name="ct"/> is cancelled; the exit code is 2 for bad flags, 1 for a failed start.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        LocalOptions options;
        try
        {
            options = LocalOptions.Parse(args);
        }
        catch (FormatException e)
        {
            await stderr.WriteLineAsync($"serval-operator local: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        var manifests = new List<(string File, string Yaml)>();
        foreach (var file in options.ApplyFiles)
        {
            if (!File.Exists(file))
            {
                await stderr.WriteLineAsync($"serval-operator local: --apply {file}: no such file").ConfigureAwait(false);
                return 2;
            }

            manifests.Add((file, await File.ReadAllTextAsync(file, ct).ConfigureAwait(false)));
        }

        var stateDirectory = Path.GetFullPath(options.StateDirectory);
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
        {
            Port = options.Port,
            StateDirectory = Path.Combine(stateDirectory, "state"),
        }, ct).ConfigureAwait(false);
        try
        {
            foreach (var crd in ServalDefinitions())
            {
                server.ApplyManifests(crd, "serval-operator");
            }

            foreach (var (file, yaml) in manifests)
            {
                var applied = server.ApplyManifests(yaml, "serval-local-apply");
                await stdout.WriteLineAsync($"applied {applied.Count} object(s) from {file}").ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is ApiException or YamlDotNet.Core.YamlException or ArgumentException)
        {
            await stderr.WriteLineAsync($"serval-operator local: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        var kubeconfig = Path.Combine(stateDirectory, "kubeconfig");
        server.WriteKubeconfig(kubeconfig);
        await stdout.WriteLineAsync($"""
            serval-operator local: Kubernetes API server at {server.Url} (objects kept in {stateDirectory})
              kubeconfig: {kubeconfig}
              try:        kubectl --kubeconfig {kubeconfig} get inferenceservices -A
            Press Ctrl-C to stop.
            """).ConfigureAwait(false);
        await stdout.FlushAsync(ct).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await stdout.WriteLineAsync("serval-operator local: stopping").ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>The CustomResourceDefinitions installed before anything else: Serval's own.</summary>
    private static IReadOnlyList<string> ServalDefinitions() => [InferenceServiceCrd.ToYaml()];

    /// <summary>The parsed flags; <see cref="Parse"/> throws a FormatException naming the flag and value.</summary>
    internal sealed record LocalOptions(int Port, string StateDirectory, IReadOnlyList<string> ApplyFiles)
    {
        public static LocalOptions Parse(IReadOnlyList<string> args)
        {
            var port = 0;
            var stateDirectory = DefaultStateDirectory;
            var files = new List<string>();
            for (var i = 0; i < args.Count; i++)
            {
                var arg = args[i];
                var (flag, inline) = arg.Contains('=', StringComparison.Ordinal) && arg.StartsWith("--", StringComparison.Ordinal)
                    ? (arg[..arg.IndexOf('=', StringComparison.Ordinal)], arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..])
                    : (arg, null);
                string Value()
                {
                    if (inline is not null)
                    {
                        return inline;
                    }

                    if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new FormatException($"flag {flag} needs a value");
                    }

                    return args[++i];
                }

                switch (flag)
                {
                    case "--port":
                        var text = Value();
                        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
                        {
                            throw new FormatException($"--port {text}: must be a number from 0 to 65535 (0 picks a free port)");
                        }

                        break;
                    case "--state-dir":
                        stateDirectory = Value();
                        if (stateDirectory.Length == 0)
                        {
                            throw new FormatException("--state-dir: must not be empty");
                        }

                        break;
                    case "--apply":
                        files.Add(Value());
                        while (inline is null && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                        {
                            files.Add(args[++i]);
                        }

                        break;
                    default:
                        throw new FormatException($"unknown flag \"{arg}\" (flags: --port N, --state-dir DIR, --apply FILE ...)");
                }
            }

            return new LocalOptions(port, stateDirectory, files);
        }
    }
}
