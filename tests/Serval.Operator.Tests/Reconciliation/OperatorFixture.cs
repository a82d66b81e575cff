using System.Text.Json.Nodes;
using k8s.Models;
using Serval.Api.Crd;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Kubernetes;
using Serval.LocalCluster;
using Serval.Operator.Hosting;

namespace Serval.Operator.Tests.Reconciliation;

/// <summary>An embedded API server with Serval's CRD, and operators run in-process against it.</summary>
internal sealed class OperatorFixture : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly List<RunningOperator> _operators = [];

    private OperatorFixture(EmbeddedApiServer server)
    {
        Server = server;
        Client = new KubernetesApi(server.ClientConfiguration(), new KubernetesApiOptions { FieldManager = "test-user" });
    }

    public EmbeddedApiServer Server { get; }

    /// <summary>A client writing as someone other than the operator.</summary>
    public KubernetesApi Client { get; }

    public static async Task<OperatorFixture> StartAsync()
    {
        var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { Port = 0, BookmarkInterval = TimeSpan.FromSeconds(1) });
        server.ApplyManifests(InferenceServiceCrd.ToYaml(), "test-setup");
        return new OperatorFixture(server);
    }

    public async Task<RunningOperator> StartOperatorAsync(string identity = "solo", bool elect = false, Action<OperatorOptions>? configure = null)
    {
        var options = new OperatorOptions
        {
            HealthPort = null,
            MaxConcurrentReconciles = 4,
            MaxRetryDelay = TimeSpan.FromMilliseconds(200),
            Registry = Prometheus.Metrics.NewCustomRegistry(),
            LeaderElection =
            {
                Enabled = elect,
                Identity = identity,
                LeaseNamespace = "default",
                LeaseDuration = TimeSpan.FromSeconds(2),
                RenewDeadline = TimeSpan.FromSeconds(1),
                RetryPeriod = TimeSpan.FromMilliseconds(250),
            },
        };
        configure?.Invoke(options);
        var host = await OperatorHost.CreateAsync(Server.ClientConfiguration(), options, CancellationToken.None);
        var stop = new CancellationTokenSource();
        var running = new RunningOperator(host, stop, host.RunAsync(stop.Token));
        _operators.Add(running);
        return running;
    }

    public static InferenceService Service(string name, string uri = "configmap://models/mlp.onnx", Action<InferenceServiceSpec>? configure = null)
    {
        var service = new InferenceService
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new InferenceServiceSpec { Model = new ModelSpec { Uri = uri } },
        };
        configure?.Invoke(service.Spec);
        return service;
    }

    public JsonObject? Get(string apiVersion, string kind, string name) => Server.Get(apiVersion, kind, "default", name);

    public InferenceService? GetService(string name) =>
        Client.GetAsync<InferenceService>("default", name, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Reports a Deployment's pods as all ready, as the cluster's Deployment controller would.</summary>
    public void MarkReady(string deployment, int replicas = 1)
    {
        var live = Get("apps/v1", "Deployment", deployment) ?? throw new InvalidOperationException($"no Deployment {deployment}");
        live["status"] = new JsonObject
        {
            ["observedGeneration"] = (long)live["metadata"]!["generation"]!,
            ["replicas"] = replicas,
            ["readyReplicas"] = replicas,
            ["availableReplicas"] = replicas,
            ["updatedReplicas"] = replicas,
        };
        Server.UpdateStatus(live, "test-deployment-controller");
    }

    public string? Condition(string service, string type, out string? reason)
    {
        var condition = Controllers.Status.Conditions.Find(GetService(service)?.Status?.Conditions, type);
        reason = condition?.Reason;
        return condition?.Status;
    }

    /// <summary>Polls every 20 ms until the condition holds; fails after the timeout.</summary>
    public static async Task Eventually(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? observed = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}{(observed is null ? string.Empty : $"; last seen: {observed()}")}");
            }

            await Task.Delay(20);
        }
    }

    public static async Task StopAsync(RunningOperator running)
    {
        await running.Stop.CancelAsync();
        await running.Run.WaitAsync(Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var running in _operators)
        {
            await running.Stop.CancelAsync();
            await running.Run.WaitAsync(Timeout);
            running.Stop.Dispose();
            running.Host.Dispose();
        }

        Client.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>An operator running in-process.</summary>
internal sealed record RunningOperator(OperatorHost Host, CancellationTokenSource Stop, Task Run);
