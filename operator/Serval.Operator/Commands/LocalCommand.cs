using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Serval.Controllers.Kubernetes;
using Serval.LocalCluster.Server;
using Serval.Operator.Local;

namespace Serval.Operator.Commands;

/// <summary>
/// `serval-operator local [--port N] [--state-dir DIR] [--apply FILE ...]`: runs the whole system in this process
/// (<see cref="LocalMode"/>: embedded API server, local controllers, proxy, operator), applies the given manifests,
/// prints what runs and what to try, and runs until SIGINT or SIGTERM, then stops every worker process it started.
/// Objects, logs, proxy ports and DIR/kubeconfig live in DIR, so a restart keeps them.
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

        // Console.CancelKeyPress does not fire for a SIGINT sent to a process without a terminal (a test, a supervisor).
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
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

        using var loggers = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            })
            .SetMinimumLevel(LogLevel.Warning));
        LocalMode local;
        try
        {
            local = await LocalMode.StartAsync(new LocalModeOptions
            {
                Port = options.Port,
                StateDirectory = options.StateDirectory,
                WriteKubeconfig = false,
                LoggerFactory = loggers,
            }, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ApiException or KubernetesApiException or HttpRequestException)
        {
            await stderr.WriteLineAsync($"serval-operator local: could not start: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (local.ConfigureAwait(false))
        {
            var services = new List<(string Namespace, string Name, string Model)>();
            try
            {
                foreach (var (file, yaml) in manifests)
                {
                    var applied = local.Server.ApplyManifests(yaml, "serval-local-apply");
                    await stdout.WriteLineAsync($"applied {applied.Count} object(s) from {file}").ConfigureAwait(false);
                    services.AddRange(applied
                        .Where(o => o["kind"]?.GetValue<string>() == "InferenceService")
                        .Select(o => (
                            o["metadata"]?["namespace"]?.GetValue<string>() ?? "default",
                            o["metadata"]!["name"]!.GetValue<string>(),
                            o["spec"]?["model"]?["name"]?.GetValue<string>() ?? o["metadata"]!["name"]!.GetValue<string>())));
                }
            }
            catch (Exception e) when (e is ApiException or YamlDotNet.Core.YamlException or ArgumentException)
            {
                await stderr.WriteLineAsync($"serval-operator local: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            local.WriteKubeconfig();
            await stdout.WriteLineAsync(Banner(local, services)).ConfigureAwait(false);
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await stdout.WriteLineAsync("serval-operator local: stopping (operator, proxy, worker processes, API server)").ConfigureAwait(false);
                await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        await stdout.WriteLineAsync("serval-operator local: stopped").ConfigureAwait(false);
        return 0;
    }

    /// <summary>What runs and what to try next.</summary>
    internal static string Banner(LocalMode local, IReadOnlyList<(string Namespace, string Name, string Model)> services)
    {
        var kubeconfig = Shorten(local.Kubeconfig);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"""
            serval-operator local: running
              API server         {local.Server.Url} (objects kept in {Shorten(Path.Combine(local.StateDirectory, "state"))})
              operator           reconciling InferenceServices
              local controllers  Deployments -> serval-worker processes (logs in {Shorten(Path.Combine(local.StateDirectory, "logs"))}), Endpoints, HPAs
              proxy              one loopback URL per InferenceService (status.url)
              kubeconfig         {kubeconfig}
            """);
        foreach (var (ns, name, _) in services)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {ns}/{name,-17} {Url(local, ns, name)}");
        }

        text.AppendLine("try:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  kubectl --kubeconfig {kubeconfig} get sisvc -A");
        foreach (var (ns, name, model) in services)
        {
            var request = File.Exists(Path.Combine("samples", "requests", model + ".json")) ? $"samples/requests/{model}.json" : "request.json";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  curl -s -X POST {Url(local, ns, name)}/v2/models/{model}/infer -H 'Content-Type: application/json' -d @{request}");
        }

        text.Append("Press Ctrl-C to stop.");
        return text.ToString();
    }

    private static string Url(LocalMode local, string ns, string name)
    {
        var url = local.UrlOf(ns, name);
        return string.Create(CultureInfo.InvariantCulture, $"{url.Scheme}://{url.Host}:{url.Port}");
    }

    private static string Shorten(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

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
