using System.Collections.Concurrent;
using k8s.Models;
using Serval.Controllers.Cache;
using Serval.Controllers.Hosting;
using Serval.Controllers.Reconciliation;
using Serval.Controllers.Tests.Fakes;

namespace Serval.Controllers.Tests.Leadership;

/// <summary>
/// Two hosts campaign for one in-memory lease with KubernetesClient's elector, on real time with
/// a one-second lease.
/// </summary>
public sealed class LeaderElectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly List<(CancellationTokenSource Stop, Task Run)> _running = [];
    private InMemoryLease _lease = null!;

    [SetUp]
    public void SetUp() => _lease = new InMemoryLease();

    [TearDown]
    public async Task TearDown()
    {
        foreach (var (stop, run) in _running)
        {
            await stop.CancelAsync();
            await run.WaitAsync(Timeout);
            stop.Dispose();
        }

        _running.Clear();
    }

    private (ControllerHost Host, Controller<V1Secret> Controller, CountingReconciler Reconciler, CancellationTokenSource Stop, Task Run) Start(string identity)
    {
        var api = new FakeKubernetesApi { Lease = _lease };
        api.EnqueueList("1", new V1Secret { Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = "ml", ResourceVersion = "1" } });
        var host = new ControllerHost(
            api,
            new ControllerHostOptions
            {
                HealthPort = null,
                LeaderElection =
                {
                    Enabled = true,
                    Identity = identity,
                    LeaseDuration = TimeSpan.FromSeconds(1),
                    RenewDeadline = TimeSpan.FromMilliseconds(600),
                    RetryPeriod = TimeSpan.FromMilliseconds(200),
                },
            },
            registry: Prometheus.Metrics.NewCustomRegistry());
        var reconciler = new CountingReconciler();
        var controller = host.For<V1Secret>().Complete(reconciler);
        var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        _running.Add((stop, run));
        return (host, controller, reconciler, stop, run);
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }

    [Test]
    public async Task TwoHosts_ExactlyOneLeadsAndReconciles()
    {
        var one = Start("one");
        var two = Start("two");

        await Eventually(() => one.Host.IsLeader || two.Host.IsLeader, "a leader");
        var (leader, standby) = one.Host.IsLeader ? (one, two) : (two, one);
        await Eventually(() => leader.Reconciler.Count > 0, "the leader reconciles");
        await Eventually(() => standby.Host.ReadinessProblem is null, "the standby is ready");

        Assert.That(standby.Host.IsLeader, Is.False);
        Assert.That(standby.Reconciler.Count, Is.Zero);
        Assert.That(standby.Controller.IsRunning, Is.False);
        Assert.That(_lease.Current!.HolderIdentity, Is.EqualTo(leader.Host == one.Host ? "one" : "two"));
    }

    [Test]
    public async Task LeaderShutsDown_ReleasesTheLease_AndTheStandbyTakesOver()
    {
        var one = Start("one");
        await Eventually(() => one.Host.IsLeader, "the first host leads");
        var two = Start("two");
        await Eventually(() => two.Host.HasSynced, "the standby's cache syncs");

        await one.Stop.CancelAsync();
        await one.Run.WaitAsync(Timeout);

        Assert.That(_lease.Current!.LeaseDurationSeconds, Is.EqualTo(1), "the released lease expires at once");
        await Eventually(() => two.Host.IsLeader, "the standby takes over");
        await Eventually(() => two.Reconciler.Count > 0, "the new leader reconciles");
        Assert.That(_lease.Current!.HolderIdentity, Is.EqualTo("two"));
    }

    [Test]
    public async Task LeaderLosesTheApiServer_StopsItsWorkers_AndTheStandbyTakesOver()
    {
        var one = Start("one");
        await Eventually(() => one.Host.IsLeader, "the first host leads");
        var two = Start("two");
        await Eventually(() => two.Host.HasSynced, "the standby's cache syncs");

        _lease.CutOff("one");

        await Eventually(() => !one.Host.IsLeader && !one.Controller.IsRunning, "the cut-off leader stops its workers");
        await Eventually(() => two.Host.IsLeader && two.Reconciler.Count > 0, "the standby leads and reconciles");
    }

    private sealed class CountingReconciler : IReconciler<V1Secret>
    {
        private readonly ConcurrentQueue<ObjectKey> _keys = new();

        public int Count => _keys.Count;

        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            _keys.Enqueue(key);
            return Task.FromResult(ReconcileResult.Success);
        }
    }
}
