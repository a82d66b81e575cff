using System.Collections.Concurrent;
using k8s.Models;
using Serval.Controllers.Cache;
using Serval.Controllers.Hosting;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Ownership;
using Serval.Controllers.Reconciliation;
using Serval.LocalCluster;
using Serval.LocalCluster.Faults;
using static Serval.Controllers.Tests.Integration.ServerFixture;

namespace Serval.Controllers.Tests.Integration;

/// <summary>
/// Controllers against the embedded API server: a ConfigMap controller that owns a Secret copy of
/// each ConfigMap's data, written with server-side apply.
/// </summary>
public sealed class ControllerServerTests
{
    private readonly List<(CancellationTokenSource Stop, Task Run, KubernetesApi Api)> _hosts = [];
    private EmbeddedApiServer _server = null!;
    private KubernetesApi _client = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await StartAsync(bookmarkInterval: TimeSpan.FromSeconds(1));
        _client = Api(_server);
    }

    [TearDown]
    public async Task TearDown()
    {
        foreach (var (stop, run, api) in _hosts)
        {
            await stop.CancelAsync();
            await run.WaitAsync(ServerTimeout);
            stop.Dispose();
            api.Dispose();
        }

        _hosts.Clear();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private (ControllerHost Host, CopyReconciler Reconciler, CancellationTokenSource Stop, Task Run) StartHost(string identity, bool elect = false)
    {
        var api = Api(_server);
        var host = new ControllerHost(
            api,
            new ControllerHostOptions
            {
                HealthPort = null,
                Namespace = "default",
                LeaderElection =
                {
                    Enabled = elect,
                    Identity = identity,
                    LeaseNamespace = "default",
                    LeaseDuration = TimeSpan.FromSeconds(2),
                    RenewDeadline = TimeSpan.FromSeconds(1),
                    RetryPeriod = TimeSpan.FromMilliseconds(250),
                },
            },
            registry: Prometheus.Metrics.NewCustomRegistry());
        var reconciler = new CopyReconciler(api, host.GetCache<V1ConfigMap>());
        host.For<V1ConfigMap>()
            .Owns<V1Secret>()
            .WithOptions(o =>
            {
                o.MaxConcurrentReconciles = 2;
                o.RateLimiter = time => new Serval.Controllers.Queue.ExponentialBackoffRateLimiter<ObjectKey>(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(200));
            })
            .Complete(reconciler);
        var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        _hosts.Add((stop, run, api));
        return (host, reconciler, stop, run);
    }

    private bool SecretMatches(string name, string value) =>
        _server.Get("v1", "Secret", "default", name)?["metadata"]?["labels"]?["copy-of-value"]?.GetValue<string>() == value;

    [Test]
    public async Task Reconciler_AppliesTheOwnedChild()
    {
        var (host, _, _, _) = StartHost("solo");
        await _client.CreateAsync(ConfigMap("app", "one"), CancellationToken.None);

        await Eventually(() => SecretMatches("app", "one"), "the owned Secret is applied");
        var owners = _server.Get("v1", "Secret", "default", "app")!["metadata"]!["ownerReferences"]!.AsArray();
        Assert.That((string?)owners[0]!["kind"], Is.EqualTo("ConfigMap"));
        Assert.That((bool?)owners[0]!["controller"], Is.True);
        Assert.That(_server.Requests.Count(r => r.IsWrite && r.Resource == "secrets" && r.FieldManager == "serval-operator"), Is.GreaterThanOrEqualTo(1));
        Assert.That(host.IsLeader, Is.True);
    }

    [Test]
    public async Task Owns_ChildChangedBySomeoneElse_ReconcilesTheOwnerWhichRestoresIt()
    {
        var (_, reconciler, _, _) = StartHost("solo");
        await _client.CreateAsync(ConfigMap("app", "one"), CancellationToken.None);
        await Eventually(() => SecretMatches("app", "one"), "the owned Secret is applied");
        var before = reconciler.Count;

        var secret = (await _client.GetAsync<V1Secret>("default", "app", CancellationToken.None))!;
        secret.Metadata.Labels["copy-of-value"] = "tampered";
        await _client.ReplaceAsync(secret, CancellationToken.None);

        await Eventually(() => reconciler.Count > before && SecretMatches("app", "one"), "the owner is reconciled and restores its child");
    }

    [Test]
    public async Task UnderInjectedFaults_TheControllerConverges()
    {
        // One write in five fails with 500, another one in five with 409.
        using var errors = _server.Faults.Add(new FaultRule { Verb = "patch", Resource = "secrets", StatusCode = 500, Percent = 20 });
        using var conflicts = _server.Faults.Add(new FaultRule { Verb = "patch", Resource = "secrets", StatusCode = 409, Percent = 20 });
        var (host, _, _, _) = StartHost("solo");
        for (var i = 0; i < 20; i++)
        {
            await _client.CreateAsync(ConfigMap($"app-{i}", $"v{i}"), CancellationToken.None);
        }

        await Eventually(() => Enumerable.Range(0, 20).All(i => SecretMatches($"app-{i}", $"v{i}")), "every Secret converges");
        Assert.That(_server.Faults.Hits, Is.GreaterThan(0), "faults were injected");
        Assert.That(host.Metrics.ReconcileTotal.WithLabels("configmap", "error").Value, Is.GreaterThan(0));
    }

    [Test]
    public async Task LeaderElection_StandbyTakesOverWhenTheLeaderStops()
    {
        var one = StartHost("one", elect: true);
        await Eventually(() => one.Host.IsLeader, "the first host leads");
        var two = StartHost("two", elect: true);
        await Eventually(() => two.Host.ReadinessProblem is null, "the standby is synced and campaigning");
        await _client.CreateAsync(ConfigMap("app", "one"), CancellationToken.None);
        await Eventually(() => SecretMatches("app", "one"), "the leader reconciles");
        Assert.That((two.Host.IsLeader, two.Reconciler.Count), Is.EqualTo((false, 0)));

        await one.Stop.CancelAsync();
        await one.Run.WaitAsync(ServerTimeout);
        await Eventually(() => two.Host.IsLeader, "the standby takes over");
        await _client.ApplyAsync(ConfigMap("app", "two"), CancellationToken.None);

        await Eventually(() => SecretMatches("app", "two"), "the new leader reconciles");
        var lease = _server.Get("coordination.k8s.io/v1", "Lease", "default", "serval-operator")!;
        Assert.That((string?)lease["spec"]!["holderIdentity"], Is.EqualTo("two"));
    }

    /// <summary>Keeps a Secret named like each ConfigMap, labelled with its value and owned by it.</summary>
    private sealed class CopyReconciler(IKubernetesApi api, ICacheReader<V1ConfigMap> configMaps) : IReconciler<V1ConfigMap>
    {
        private readonly ConcurrentQueue<ObjectKey> _keys = new();

        public int Count => _keys.Count;

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            _keys.Enqueue(key);
            var source = configMaps.Get(key.Namespace, key.Name);
            if (source is null)
            {
                return ReconcileResult.Success;
            }

            var secret = new V1Secret
            {
                Metadata = new V1ObjectMeta
                {
                    Name = key.Name,
                    NamespaceProperty = key.Namespace,
                    Labels = new Dictionary<string, string> { ["copy-of-value"] = source.Data?["value"] ?? string.Empty },
                },
            };
            OwnerReferences.SetController(source, secret);
            await api.ApplyAsync(secret, cancellationToken);
            return ReconcileResult.Success;
        }
    }
}
