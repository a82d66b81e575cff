using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Cache;
using Serval.Controllers.Events;
using Serval.Controllers.Hosting;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Memory;
using Serval.Controllers.Queue;
using Serval.Controllers.Reconciliation;
using Serval.Operator.Networking;
using Serval.Operator.Reconciliation;
using Serval.Operator.Revisions;
using Serval.Operator.Rollout;
using Serval.Operator.Rollout.Canary;
using Serval.Operator.Rollout.SmokeTest;

namespace Serval.Operator.Hosting;

/// <summary>
/// The operator, ready to run against any API server: a <see cref="ControllerHost"/> with the InferenceService
/// controller (owning Deployments, Services, HPAs, PDBs and, when the cluster serves them, HTTPRoutes, and
/// watching the pods of InferenceServices). <c>serval-operator run</c> uses it against a cluster; local mode and
/// tests use it in-process against the embedded API server.
/// </summary>
public sealed class OperatorHost : IDisposable
{
    /// <summary>Smoke tests talk to pods directly; one client for the process, as HttpClient is meant to be used.</summary>
    private static readonly HttpClient SmokeTestHttp = new() { Timeout = Timeout.InfiniteTimeSpan };

    private readonly KubernetesApi? _ownedApi;

    private OperatorHost(IKubernetesApi api, KubernetesApi? ownedApi, ControllerHost host, Controller<InferenceService> controller, bool routes)
    {
        Api = api;
        _ownedApi = ownedApi;
        Controllers = host;
        Controller = controller;
        ManagesRoutes = routes;
    }

    public IKubernetesApi Api { get; }

    /// <summary>The controller runtime (health, leadership, metrics, caches).</summary>
    public ControllerHost Controllers { get; }

    /// <summary>The InferenceService controller.</summary>
    public Controller<InferenceService> Controller { get; }

    /// <summary>True when HTTPRoutes are managed (the cluster serves the Gateway API).</summary>
    public bool ManagesRoutes { get; }

    /// <summary>Builds the operator over a client configuration (kubeconfig, in-cluster, or an embedded server's).</summary>
    public static Task<OperatorHost> CreateAsync(KubernetesClientConfiguration configuration, OperatorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var api = new KubernetesApi(configuration);
        return CreateAsync(api, api, options, cancellationToken);
    }

    /// <summary>Builds the operator over <paramref name="api"/> (the caller keeps owning it).</summary>
    public static Task<OperatorHost> CreateAsync(IKubernetesApi api, OperatorOptions options, CancellationToken cancellationToken) =>
        CreateAsync(api, null, options, cancellationToken);

    /// <summary>Queues a reconcile of <paramref name="service"/> (e.g. when new measurements arrived).</summary>
    public void Enqueue(ObjectKey service) => Controller.Enqueue(service);

    /// <summary>Runs until cancelled, then shuts down gracefully (in-flight reconciles finish, the lease is released).</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Controllers.RunAsync(cancellationToken);

    public void Dispose() => _ownedApi?.Dispose();

    private static async Task<OperatorHost> CreateAsync(IKubernetesApi api, KubernetesApi? owned, OperatorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        try
        {
            var routes = options.GatewayRoutes ?? await ServesRoutesAsync(api, options.Namespace, cancellationToken).ConfigureAwait(false);
            var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
            var host = new ControllerHost(
                api,
                new ControllerHostOptions
                {
                    Namespace = options.Namespace,
                    HealthPort = options.HealthPort,
                    HealthBindAddress = options.HealthBindAddress,
                    ShutdownTimeout = options.ShutdownTimeout,
                    LeaderElection = options.LeaderElection,
                    MemoryTrim = new MemoryTrimOptions { Enabled = options.MemoryTrim },
                },
                loggers,
                options.TimeProvider,
                options.Registry);

            // Only pods of InferenceServices are cached: the operator reads them to say why a revision is not ready.
            host.GetInformer<V1Pod>(o => o.LabelSelector = ServalLabels.InferenceService);
            var caches = new ChildCaches(
                host.GetCache<InferenceService>(),
                host.GetCache<V1Deployment>(),
                host.GetCache<V1Service>(),
                host.GetCache<V2HorizontalPodAutoscaler>(),
                host.GetCache<V1PodDisruptionBudget>(),
                host.GetCache<V1Pod>(),
                routes ? host.GetCache<HttpRoute>() : null);
            var canary = options.CanaryStrategy ?? new CanaryRollout(
                options.CanaryMetrics ?? options.Observations as ICanaryMetrics
                    ?? (options.Observations is { } observed ? new ObservedCanaryMetrics(observed, options.TimeProvider) : null),
                new SmokeTestGate(
                    api,
                    new SmokeTestRunner(SmokeTestHttp, loggers.CreateLogger<SmokeTestRunner>()),
                    options.TimeProvider,
                    loggers.CreateLogger<SmokeTestGate>()));
            var reconciler = new InferenceServiceReconciler(
                api,
                caches,
                new RolloutPlanner(canary),
                options.UrlProvider,
                options.Observations,
                new EventRecorder(api, time: options.TimeProvider, logger: loggers.CreateLogger("Serval.Operator.Events")),
                options.TimeProvider,
                loggers.CreateLogger("Serval.Operator.Reconciler"),
                options.DefaultWorkerImage);
            var builder = host.For<InferenceService>()
                .Named("inferenceservice")
                .Owns<V1Deployment>()
                .Owns<V1Service>()
                .Owns<V2HorizontalPodAutoscaler>()
                .Owns<V1PodDisruptionBudget>()
                .Watches<V1Pod>(PodOwner)
                .WithOptions(o =>
                {
                    o.MaxConcurrentReconciles = options.MaxConcurrentReconciles;
                    o.RateLimiter = time => new MaxOfRateLimiter<ObjectKey>(
                        new ExponentialBackoffRateLimiter<ObjectKey>(options.MinRetryDelay, options.MaxRetryDelay),
                        new BucketRateLimiter<ObjectKey>(WorkQueueRateLimiters.DefaultQps, WorkQueueRateLimiters.DefaultBurst, time));
                });
            if (routes)
            {
                builder.Owns<HttpRoute>();
            }

            var controller = builder.Complete(reconciler);
            return new OperatorHost(api, owned, host, controller, routes);
        }
        catch
        {
            owned?.Dispose();
            throw;
        }
    }

    private static IEnumerable<ObjectKey> PodOwner(V1Pod pod) =>
        ServalLabels.ValueOf(pod.Metadata?.Labels, ServalLabels.InferenceService) is { Length: > 0 } name
            ? [new ObjectKey(pod.Metadata!.NamespaceProperty, name)]
            : [];

    private static async Task<bool> ServesRoutesAsync(IKubernetesApi api, string? ns, CancellationToken cancellationToken)
    {
        try
        {
            await api.ListAsync<HttpRoute>(ns, new ListOptions { Limit = 1 }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }
}
