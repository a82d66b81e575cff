using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Api.Crd;
using Serval.Controllers.Kubernetes;
using Serval.LocalCluster;
using Serval.LocalCluster.Local;
using Serval.LocalCluster.Local.Proxy;
using Serval.Operator.Autoscaling;
using Serval.Operator.ExternalMetrics;
using Serval.Operator.Hosting;

namespace Serval.Operator.Local;

/// <summary>
/// Everything local mode runs in one process: the embedded API server with Serval's CRD, the local controllers
/// (workloads as worker processes, endpoints, HPA), the local proxy and the operator, each talking to the API server
/// over HTTP as it would in a cluster. <c>serval-operator local</c>, the end-to-end tests and the local benchmark
/// start it the same way. Disposing stops the operator first and the worker processes before the API server.
/// </summary>
public sealed class LocalMode : IAsyncDisposable
{
    private readonly LocalModeOptions _options;
    private readonly ILogger _logger;
    private readonly KubernetesApi _proxyApi;
    private OperatorHost? _operator;
    private CancellationTokenSource? _operatorStop;
    private Task _operatorRun = Task.CompletedTask;
    private AutoscalingLoop? _autoscaling;
    private ExternalMetricsServer? _metricsApi;
    private string _metricsCertificates = null!;
    private int _disposed;

    private LocalMode(LocalModeOptions options, ILogger logger, EmbeddedApiServer server, KubernetesApi proxyApi, string stateDirectory)
    {
        _options = options;
        _logger = logger;
        Server = server;
        _proxyApi = proxyApi;
        StateDirectory = stateDirectory;
        Kubeconfig = Path.Combine(stateDirectory, "kubeconfig");
    }

    public EmbeddedApiServer Server { get; }

    public LocalControllers Controllers { get; private set; } = null!;

    public LocalProxy Proxy { get; private set; } = null!;

    /// <summary>The operator now running (a new one after <see cref="RestartOperatorAsync"/>).</summary>
    public OperatorHost Operator => _operator ?? throw new InvalidOperationException("The operator is not running.");

    public string StateDirectory { get; }

    /// <summary>The kubeconfig written for kubectl and helm.</summary>
    public string Kubeconfig { get; }

    /// <summary>Starts every part and returns once their caches have synced.</summary>
    public static async Task<LocalMode> StartAsync(LocalModeOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var stateDirectory = Path.GetFullPath(options.StateDirectory);
        Directory.CreateDirectory(stateDirectory);
        var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
        {
            Port = options.Port,
            StateDirectory = Path.Combine(stateDirectory, "state"),
            UseTls = options.UseTls,
            LoggerFactory = loggers,
        }, ct).ConfigureAwait(false);
        var proxyApi = new KubernetesApi(server.ClientConfiguration(), new KubernetesApiOptions { FieldManager = "serval-local-proxy", UserAgent = "serval-local-proxy" });
        var local = new LocalMode(options, loggers.CreateLogger<LocalMode>(), server, proxyApi, stateDirectory);
        try
        {
            server.ApplyManifests(InferenceServiceCrd.ToYaml(), "serval-operator");
            local._metricsCertificates = LocalExternalMetrics.EnsureCertificate(stateDirectory, TimeProvider.System);
            if (options.WriteKubeconfig)
            {
                local.WriteKubeconfig();
            }
            var controllerOptions = new LocalControllersOptions { StateDirectory = stateDirectory };
            options.ConfigureControllers?.Invoke(controllerOptions);
            local.Controllers = await LocalControllers.StartAsync(server.ClientConfiguration(), controllerOptions, loggers, cancellationToken: ct).ConfigureAwait(false);
            local.Proxy = new LocalProxy(proxyApi, new LocalProxyOptions { StateDirectory = stateDirectory, LoggerFactory = loggers });
            await local.Proxy.StartAsync(ct).ConfigureAwait(false);
            await local.StartOperatorAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await local.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        LocalModeLog.Started(local._logger, server.Url, stateDirectory);
        return local;
    }

    /// <summary>Writes <see cref="Kubeconfig"/>; its appearance tells a waiting user or script that the system is up.</summary>
    public void WriteKubeconfig() => Server.WriteKubeconfig(Kubeconfig);

    /// <summary>The URL the InferenceService <paramref name="ns"/>/<paramref name="name"/> is served at (status.url).</summary>
    public Uri UrlOf(string ns, string name) => Proxy.UrlOf(ns, name);

    /// <summary>Stops the operator and starts a fresh one (new caches, new queue), as a pod restart would.</summary>
    public async Task RestartOperatorAsync(CancellationToken ct)
    {
        await StopOperatorAsync().ConfigureAwait(false);
        await StartOperatorAsync(ct).ConfigureAwait(false);
        LocalModeLog.OperatorRestarted(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopOperatorAsync().ConfigureAwait(false);
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync().ConfigureAwait(false);
        }

        if (Controllers is not null)
        {
            await Controllers.DisposeAsync().ConfigureAwait(false);
        }

        _proxyApi.Dispose();
        await Server.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Starts what a fresh operator pod runs: the autoscaling loop, its external metrics API (registered with the API
    /// server's aggregation layer) and the controllers.
    /// </summary>
    private async Task StartOperatorAsync(CancellationToken ct)
    {
        var loggers = _options.LoggerFactory ?? NullLoggerFactory.Instance;
        var autoscalingOptions = new AutoscalingOptions();
        _options.ConfigureAutoscaling?.Invoke(autoscalingOptions);
        var autoscaling = new AutoscalingLoop(autoscalingOptions, TimeProvider.System, loggers.CreateLogger("Serval.Operator.Autoscaling"));
        _autoscaling = autoscaling;
        _metricsApi = await ExternalMetricsServer.StartAsync(autoscaling.Decisions, IPAddress.Loopback, 0, _metricsCertificates, ct).ConfigureAwait(false);
        LocalExternalMetrics.Register(Server, _metricsCertificates, _metricsApi.Url.Port);

        var operatorOptions = new OperatorOptions
        {
            HealthPort = null,
            // Ctrl-C on a laptop: in-flight reconciles get a short grace (a pod's is 30 s), as the local controllers do.
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            LoggerFactory = _options.LoggerFactory,
            UrlProvider = new LocalServiceUrlProvider(Proxy),
            Observations = autoscaling,
        };
        _options.ConfigureOperator?.Invoke(operatorOptions);
        var host = await OperatorHost.CreateAsync(Server.ClientConfiguration(), operatorOptions, ct).ConfigureAwait(false);
        var stop = new CancellationTokenSource();
        _operator = host;
        _operatorStop = stop;
        var inputs = AutoscalingInputs.Of(host, loggers);
        _operatorRun = Task.Run(
            async () =>
            {
                var scaling = autoscaling.RunAsync(inputs, stop.Token);
                try
                {
                    await host.RunAsync(stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    await scaling.ConfigureAwait(false);
                }
            },
            CancellationToken.None);
    }

    private async Task StopOperatorAsync()
    {
        if (_operator is not { } host || _operatorStop is not { } stop)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _operatorRun.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point.
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or InvalidOperationException)
        {
            LocalModeLog.OperatorFailed(_logger, e);
        }

        host.Dispose();
        stop.Dispose();
        _operator = null;
        _operatorStop = null;
        if (_metricsApi is not null)
        {
            await _metricsApi.DisposeAsync().ConfigureAwait(false);
            _metricsApi = null;
        }

        _autoscaling?.Dispose();
        _autoscaling = null;
    }
}
