using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Serval.Controllers.Hosting;
using Serval.Controllers.Kubernetes;
using Serval.LocalCluster.Local.Autoscaling;
using Serval.LocalCluster.Local.Endpoints;
using Serval.LocalCluster.Local.Processes;
using Serval.LocalCluster.Local.Workloads;

namespace Serval.LocalCluster.Local;

/// <summary>
/// The controllers a cluster would run, for local mode: Deployment and ReplicaSet controllers, a scheduler
/// and kubelet that run each pod as a <c>serval-worker</c> process on a free loopback port, the Endpoints
/// and EndpointSlice controller and the HorizontalPodAutoscaler controller. They talk to the API server over
/// HTTP, as kube-controller-manager does. Stopping (or disposing) stops every worker process.
/// </summary>
public sealed class LocalControllers : IAsyncDisposable
{
    private readonly ControllerHost _host;
    private readonly LocalKubelet _kubelet;
    private readonly KubernetesApi _api;
    private readonly HttpClient _http;
    private readonly HttpClient _metricsHttp;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly EventHandler _onProcessExit;
    private Task _run = Task.CompletedTask;
    private int _stopped;

    private LocalControllers(
        ControllerHost host, LocalKubelet kubelet, KubernetesApi api, HttpClient http, HttpClient metricsHttp, ILogger logger, string workerPath)
    {
        _host = host;
        _kubelet = kubelet;
        _api = api;
        _http = http;
        _metricsHttp = metricsHttp;
        _logger = logger;
        WorkerPath = workerPath;
        _onProcessExit = (_, _) => _kubelet.StopAllAsync().GetAwaiter().GetResult();
    }

    /// <summary>The worker executable pods run.</summary>
    public string WorkerPath { get; }

    /// <summary>The scheduler and kubelet (which processes run, for which pods).</summary>
    public LocalKubelet Kubelet => _kubelet;

    /// <summary>
    /// Starts the controllers against the API server <paramref name="configuration"/> points at and returns once
    /// their caches have synced.
    /// </summary>
    public static async Task<LocalControllers> StartAsync(
        KubernetesClientConfiguration configuration,
        LocalControllersOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        time ??= TimeProvider.System;
        var workerPath = options.WorkerPath ?? WorkerExecutable.Locate()
            ?? throw new InvalidOperationException(
                $"{nameof(LocalControllersOptions)}.{nameof(LocalControllersOptions.WorkerPath)} is not set and no '{WorkerExecutable.FileName}' " +
                "was found next to this program or under runtime-image/Serval.Worker/bin/ (run 'make build').");
        Directory.CreateDirectory(options.StateDirectory);

        var api = new KubernetesApi(configuration, new KubernetesApiOptions { FieldManager = options.FieldManager, UserAgent = options.FieldManager });
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var host = new ControllerHost(
            api,
            new ControllerHostOptions { Namespace = options.Namespace, HealthPort = null, ShutdownTimeout = TimeSpan.FromSeconds(5) },
            loggerFactory,
            time,
            Metrics.NewCustomRegistry());
        var ports = new PortAllocator();
        var logger = loggerFactory.CreateLogger("Serval.LocalCluster.Local");
        var context = new PodRuntimeContext(api, options, workerPath, time, new PodVolumes(api), http, logger);
        var kubelet = new LocalKubelet(host.GetCache<V1Pod>(), context, ports);

        host.For<V1Deployment>().Named("local-deployment").Owns<V1ReplicaSet>()
            .WithOptions(o => o.MaxConcurrentReconciles = 2)
            .Complete(new DeploymentReconciler(api, host.GetCache<V1Deployment>(), host.GetCache<V1ReplicaSet>(), time));
        host.For<V1ReplicaSet>().Named("local-replicaset").Owns<V1Pod>()
            .WithOptions(o => o.MaxConcurrentReconciles = 2)
            .Complete(new ReplicaSetReconciler(api, host.GetCache<V1ReplicaSet>(), host.GetCache<V1Pod>(), ports, time));
        host.For<V1Pod>().Named("local-kubelet")
            .WithOptions(o => o.MaxConcurrentReconciles = 4)
            .Complete(kubelet);

        var services = host.GetCache<V1Service>();
        var pods = host.GetCache<V1Pod>();
        host.For<V1Service>().Named("local-endpoints")
            .Watches<V1Pod>(pod => EndpointsReconciler.ServicesOf(services, pod))
            .Complete(new EndpointsReconciler(api, services, pods, host.GetCache<V1EndpointSlice>()));

        var metricsHttp = ExternalMetricsHttp.Create(configuration);
        var external = new ExternalMetricsClient(metricsHttp, options.ExternalMetricsEndpoint ?? new Uri(configuration.Host));
        host.For<V2HorizontalPodAutoscaler>().Named("local-hpa")
            .Complete(new HorizontalPodAutoscalerReconciler(
                api,
                host.GetCache<V2HorizontalPodAutoscaler>(),
                host.GetCache<V1Deployment>(),
                host.GetCache<V1ReplicaSet>(),
                pods,
                new ProcessUsage(kubelet, time),
                external,
                options,
                time));

        var controllers = new LocalControllers(host, kubelet, api, http, metricsHttp, logger, workerPath);
        AppDomain.CurrentDomain.ProcessExit += controllers._onProcessExit;
        controllers._run = host.RunAsync(controllers._stop.Token);
        try
        {
            await Task.WhenAll(
                host.GetInformer<V1Deployment>().WaitForSyncAsync(cancellationToken),
                host.GetInformer<V1ReplicaSet>().WaitForSyncAsync(cancellationToken),
                host.GetInformer<V1Pod>().WaitForSyncAsync(cancellationToken),
                host.GetInformer<V1Service>().WaitForSyncAsync(cancellationToken),
                host.GetInformer<V1EndpointSlice>().WaitForSyncAsync(cancellationToken),
                host.GetInformer<V2HorizontalPodAutoscaler>().WaitForSyncAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch
        {
            await controllers.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        LocalControllersLog.Started(logger, workerPath, Path.GetFullPath(options.StateDirectory));
        return controllers;
    }

    /// <summary>Stops the controllers, then every worker process (SIGTERM, then SIGKILL).</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            await _run.ConfigureAwait(false);
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        finally
        {
            await _kubelet.StopAllAsync().ConfigureAwait(false);
            AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
            LocalControllersLog.Stopped(_logger);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        _http.Dispose();
        _metricsHttp.Dispose();
        _api.Dispose();
    }
}
