using System.Net;
using System.Runtime.InteropServices;
using k8s;
using Serval.Controllers.Kubernetes;
using Serval.Operator.Autoscaling;
using Serval.Operator.ExternalMetrics;
using Serval.Operator.Hosting;

namespace Serval.Operator.Commands;

/// <summary>
/// <c>serval-operator run</c>: the operator against a cluster, configured from --kubeconfig, else the in-cluster
/// service account, else $KUBECONFIG or ~/.kube/config. Runs until SIGTERM or Ctrl-C, then finishes in-flight
/// reconciles and releases its lease.
/// </summary>
internal static class RunCommand
{
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
            return await RunAsync(args, Console.Error, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs until <paramref name="ct"/> is cancelled; 2 for bad flags, 1 for a failed start.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stderr, CancellationToken ct)
    {
        RunOptions flags;
        AutoscalingOptions autoscalingOptions;
        KubernetesClientConfiguration configuration;
        try
        {
            flags = RunOptions.Parse(args);
            autoscalingOptions = new AutoscalingOptions
            {
                ScrapeInterval = TimeSpan.FromSeconds(flags.ScrapeIntervalSeconds),
                StableWindow = TimeSpan.FromSeconds(flags.StableWindowSeconds),
                PanicWindow = TimeSpan.FromSeconds(flags.PanicWindowSeconds),
                ScaleDirectly = flags.ScaleDirectly,
            };
            autoscalingOptions.Validate();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            await stderr.WriteLineAsync($"serval-operator run: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        try
        {
            configuration = flags.Kubeconfig is { } path
                ? Kubeconfig.FromFile(path)
                : KubernetesClientConfiguration.IsInCluster()
                    ? KubernetesClientConfiguration.InClusterConfig()
                    : Kubeconfig.FromEnvironment()
                        ?? throw new k8s.Exceptions.KubeConfigException(
                            "not in a cluster and no kubeconfig: pass --kubeconfig, set KUBECONFIG, or write ~/.kube/config");
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"serval-operator run: cannot load the Kubernetes configuration: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }).SetMinimumLevel(LogLevel.Information));
        using var autoscaling = new AutoscalingLoop(autoscalingOptions, TimeProvider.System, loggers.CreateLogger("Serval.Operator.Autoscaling"));
        var options = new OperatorOptions
        {
            Observations = autoscaling,
            Namespace = flags.Namespace,
            HealthPort = flags.MetricsPort,
            MaxConcurrentReconciles = flags.MaxConcurrentReconciles,
            MemoryTrim = flags.MemoryTrim,
            DefaultWorkerImage = flags.WorkerImage,
            LoggerFactory = loggers,
        };
        options.LeaderElection.Enabled = flags.LeaderElect;
        options.LeaderElection.LeaseNamespace = flags.LeaderElectionNamespace
            ?? Environment.GetEnvironmentVariable("POD_NAMESPACE")
            ?? flags.Namespace
            ?? "default";
        if (Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod)
        {
            options.LeaderElection.Identity = pod;
        }

        OperatorHost host;
        try
        {
            host = await OperatorHost.CreateAsync(configuration, options, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is Serval.Controllers.Kubernetes.KubernetesApiException or HttpRequestException or ArgumentException)
        {
            await stderr.WriteLineAsync($"serval-operator run: cannot start: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        using (host)
        {
            ExternalMetricsServer metricsApi;
            try
            {
                metricsApi = await ExternalMetricsServer.StartAsync(
                    autoscaling.Decisions, IPAddress.Any, flags.ExternalMetricsPort, flags.ExternalMetricsCertDir, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                await stderr.WriteLineAsync($"serval-operator run: cannot serve the external metrics API: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            await using (metricsApi)
            {
                var inputs = AutoscalingInputs.Of(host, loggers);
                var scaling = autoscaling.RunAsync(inputs, ct);
                await host.RunAsync(ct).ConfigureAwait(false);
                await scaling.ConfigureAwait(false);
            }
        }

        return 0;
    }
}
