using Serval.Api.V1Alpha1;
using Serval.Operator.Revisions;
using Serval.Operator.Tests.Reconciliation;
using static Serval.Operator.Tests.Reconciliation.OperatorFixture;

namespace Serval.Operator.Tests.Rollout.Server;

/// <summary>Canary rollouts end to end through the reconciler, against the embedded API server, with one-second steps.</summary>
[TestFixture]
public sealed class CanaryServerTests
{
    private const string V1 = "configmap://models/mlp.onnx";
    private const string V2 = "configmap://models/mlp-v2.onnx";
    private const string V3 = "configmap://models/mlp-slow.onnx";

    private OperatorFixture _fixture = null!;
    private FakeKubelet _kubelet = null!;
    private FakeCanaryMetrics _metrics = null!;

    [SetUp]
    public async Task SetUp()
    {
        _fixture = await OperatorFixture.StartAsync();
        _kubelet = new FakeKubelet(_fixture.Server);
        _metrics = new FakeCanaryMetrics();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _kubelet.DisposeAsync();
        await _fixture.DisposeAsync();
    }

    private Task<RunningOperator> StartOperatorAsync() => _fixture.StartOperatorAsync(configure: o => o.CanaryMetrics = _metrics);

    private static InferenceService Canary(string uri, int? pin = null, int minRequests = 10) => Service("mlp", uri, spec =>
    {
        spec.Autoscaling = new AutoscalingSpec { MinReplicas = 4, MaxReplicas = 8 };
        spec.Rollout = new RolloutSpec
        {
            Strategy = "Canary",
            Steps = [20, 50],
            StepIntervalSeconds = 1,
            ProgressDeadlineSeconds = 30,
            CanaryTrafficPercent = pin,
            Analysis = new AnalysisSpec { MaxErrorRatePercent = 1, MaxLatencyP95Milliseconds = 200, MinRequests = minRequests, FailureThreshold = 2 },
        };
    });

    private static string Hash(string uri, int? pin = null) => RevisionHash.Of(Canary(uri, pin).Resolve());

    private static string Name(string uri) => $"mlp-{Hash(uri)}";

    private InferenceServiceStatus? Status() => _fixture.GetService("mlp")?.Status;

    private static string? Condition(InferenceServiceStatus? status, string type, out string? reason)
    {
        var condition = Controllers.Status.Conditions.Find(status?.Conditions, type);
        reason = condition?.Reason;
        return condition?.Status;
    }

    /// <summary>Creates the service on V1 and waits until it is the ready stable revision.</summary>
    private async Task DeployStableAsync()
    {
        await _fixture.Client.CreateAsync(Canary(V1), CancellationToken.None);
        await Eventually(() => Status()?.StableRevision is { Name: var n, ReadyReplicas: 4 } && n == Name(V1), "stable revision ready");
    }

    private async Task UpdateAsync(Action<InferenceServiceSpec> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            var live = _fixture.GetService("mlp")!;
            change(live.Spec);
            try
            {
                await _fixture.Client.ReplaceAsync(live, CancellationToken.None);
                return;
            }
            catch (Controllers.Kubernetes.KubernetesApiException e) when (e.IsConflict && attempt < 10)
            {
                // The operator wrote status in between; read again.
            }
        }
    }

    private int? DeploymentReplicas(string name) => (int?)_fixture.Get("apps/v1", "Deployment", name)?["spec"]?["replicas"];

    [Test]
    public async Task GoodCanary_IsPromotedThroughItsSteps()
    {
        await StartOperatorAsync();
        await DeployStableAsync();
        _metrics.Set(Hash(V2), requests: 1_000);
        var shares = new HashSet<int>();

        await UpdateAsync(s => s.Model!.Uri = V2);
        await Eventually(() =>
        {
            var status = Status();
            if (status?.CanaryRevision?.TrafficPercent is { } share)
            {
                shares.Add(share);
            }

            return status?.StableRevision?.Name == Name(V2) && status.CanaryRevision?.Name is null;
        }, "promotion");

        var final = Status()!;
        Assert.That(final.RolloutHistory![0].Outcome, Is.EqualTo("Promoted"));
        Assert.That(final.RolloutHistory[0].Revision, Is.EqualTo(Name(V2)));
        Assert.That(shares, Is.SupersetOf(new[] { 20, 50 }), "the replica-ratio shares achieved at each step");
        Assert.That(shares.Where(s => s is not 0 and not 20 and not 50), Is.Empty);
        Assert.That(Condition(final, ConditionTypes.RolloutHealthy, out _), Is.EqualTo("True"));
        await Eventually(() => _fixture.Get("apps/v1", "Deployment", Name(V1)) is null, "old revision removed");
        Assert.That(_kubelet.LowestReady.GetValueOrDefault(Name(V2)), Is.EqualTo(1), "the canary started with one pod");
        Assert.That(DeploymentReplicas(Name(V2)), Is.GreaterThanOrEqualTo(4), "promoted at full size");
    }

    [Test]
    public async Task CanaryWithErrors_IsRolledBackWhileStableKeepsItsCapacity()
    {
        await StartOperatorAsync();
        await DeployStableAsync();
        _metrics.Set(Hash(V2), requests: 1_920, errors: 96);

        await UpdateAsync(s => s.Model!.Uri = V2);
        await Eventually(() => Status()?.CanaryRevision?.Phase == "RolledBack", "rollback");

        var status = Status()!;
        Assert.That(status.CanaryRevision!.Message, Does.Contain("error rate 5 % > 1 %").And.Contain("1,920 requests"));
        Assert.That(status.CanaryRevision.FailedChecks, Is.EqualTo(2));
        Assert.That(status.CanaryRevision.TrafficPercent, Is.Zero);
        Assert.That(status.StableRevision!.TrafficPercent, Is.EqualTo(100));
        Assert.That(Condition(status, ConditionTypes.RolloutHealthy, out var reason), Is.EqualTo("False"));
        Assert.That(reason, Is.EqualTo(ConditionReasons.AnalysisFailed));
        Assert.That(status.RolloutHistory![0].Outcome, Is.EqualTo("RolledBack"));
        await Eventually(() => DeploymentReplicas(Name(V2)) == 0, "canary scaled to zero");
        Assert.That(_kubelet.LowestReady[Name(V1)], Is.EqualTo(4), "the stable revision never lost a ready pod");
        var events = _fixture.Server.List("events.k8s.io/v1", "Event", "default");
        Assert.That(events.Select(e => (string?)(e["note"] ?? e["message"]) ?? string.Empty), Has.Some.Contains("error rate 5 % > 1 %"));
    }

    [Test]
    public async Task SlowCanary_IsRolledBackOnLatency()
    {
        await StartOperatorAsync();
        await DeployStableAsync();
        _metrics.Set(Hash(V2), requests: 1_920, p95: 412);

        await UpdateAsync(s => s.Model!.Uri = V2);
        await Eventually(() => Status()?.CanaryRevision?.Phase == "RolledBack", "rollback");

        Assert.That(Status()!.CanaryRevision!.Message, Does.Contain("p95 412 ms > 200 ms"));
        Assert.That(Status()!.CanaryRevision!.LastAnalysis!.LatencyP95Milliseconds, Is.EqualTo(412));
    }

    [Test]
    public async Task TooLittleTraffic_Waits_ThenProceeds()
    {
        await StartOperatorAsync();
        await DeployStableAsync();
        _metrics.Set(Hash(V2), requests: 3);

        await UpdateAsync(s => s.Model!.Uri = V2);
        await Eventually(() => Status()?.CanaryRevision?.LastAnalysis?.Message?.Contains("3 of 10 requests", StringComparison.Ordinal) == true, "waiting for requests");
        var waiting = Status()!.CanaryRevision!;
        Assert.That(waiting.Phase, Is.EqualTo("Progressing"));
        Assert.That(waiting.Step, Is.EqualTo(1));
        Assert.That(waiting.LastAnalysis!.Passed, Is.Null);

        _metrics.Set(Hash(V2), requests: 500);
        await Eventually(() => Status()?.StableRevision?.Name == Name(V2), "promotion once traffic arrives");
    }

    [Test]
    public async Task PinnedSplit_HoldsUntilRemoved()
    {
        await StartOperatorAsync();
        await DeployStableAsync();
        _metrics.Set(Hash(V2), requests: 1_000, errors: 500);

        await UpdateAsync(s =>
        {
            s.Model!.Uri = V2;
            s.Rollout!.CanaryTrafficPercent = 50;
        });
        await Eventually(() => Status()?.CanaryRevision is { Phase: "Paused", TrafficPercent: 50 }, "paused at the pin");
        var pausedAt = Status()!.CanaryRevision!.StepStartedAt;
        await Eventually(() => Status()?.CanaryRevision?.StepStartedAt != pausedAt || DateTime.UtcNow > pausedAt!.Value.AddSeconds(3), "three intervals passed");
        Assert.That(Status()!.CanaryRevision!.Phase, Is.EqualTo("Paused"), "bad figures do not roll back a pinned split");

        _metrics.Set(Hash(V2), requests: 1_000);
        await UpdateAsync(s => s.Rollout!.CanaryTrafficPercent = null);
        await Eventually(() => Status()?.StableRevision?.Name == Name(V2), "promotion after the pin is removed");
    }

    [Test]
    public async Task PinZero_RollsBack()
    {
        await StartOperatorAsync();
        await DeployStableAsync();
        _metrics.Set(Hash(V2), requests: 1_000);
        await UpdateAsync(s =>
        {
            s.Model!.Uri = V2;
            s.Rollout!.CanaryTrafficPercent = 50;
        });
        await Eventually(() => Status()?.CanaryRevision?.Phase == "Paused", "paused");

        await UpdateAsync(s => s.Rollout!.CanaryTrafficPercent = 0);
        await Eventually(() => Status()?.CanaryRevision?.Phase == "RolledBack", "rolled back");

        Assert.That(Condition(Status(), ConditionTypes.RolloutHealthy, out var reason), Is.EqualTo("True"));
        Assert.That(reason, Is.EqualTo(ConditionReasons.ManualRollback));
        await Eventually(() => DeploymentReplicas(Name(V2)) == 0, "canary scaled to zero");
    }

    [Test]
    public async Task NewSpecMidRollout_SupersedesTheCanary()
    {
        await StartOperatorAsync();
        await DeployStableAsync();
        _metrics.Set(Hash(V2), requests: 3);
        _metrics.Set(Hash(V3), requests: 3);
        await UpdateAsync(s => s.Model!.Uri = V2);
        await Eventually(() => Status()?.CanaryRevision is { Step: 1 } c && c.Name == Name(V2), "first canary at step 1");

        await UpdateAsync(s => s.Model!.Uri = V3);
        await Eventually(() => Status()?.CanaryRevision?.Name == Name(V3), "second canary");

        var status = Status()!;
        Assert.That(status.RolloutHistory![0].Revision, Is.EqualTo(Name(V2)));
        Assert.That(status.RolloutHistory[0].Outcome, Is.EqualTo("Superseded"));
        Assert.That(status.StableRevision!.Name, Is.EqualTo(Name(V1)));
        await Eventually(() => _fixture.Get("apps/v1", "Deployment", Name(V2)) is null, "superseded revision removed");
    }

    [Test]
    public async Task OperatorRestartMidRollout_ResumesWithoutGoingBackOrPromotingTwice()
    {
        var first = await StartOperatorAsync();
        await DeployStableAsync();
        _metrics.Set(Hash(V2), requests: 3);
        await UpdateAsync(s => s.Model!.Uri = V2);
        await Eventually(() => Status()?.CanaryRevision is { Step: 1, LastAnalysis: not null }, "step 1 waiting for requests");
        var started = Status()!.CanaryRevision!.StartedAt;
        await StopAsync(first);

        _metrics.Set(Hash(V2), requests: 1_000);
        await StartOperatorAsync();
        var steps = new List<int>();
        await Eventually(() =>
        {
            var status = Status();
            if (status?.CanaryRevision?.Step is { } step)
            {
                steps.Add(step);
            }

            return status?.StableRevision?.Name == Name(V2);
        }, "promotion after the restart");

        Assert.That(steps, Has.None.EqualTo(0), "no restart from the beginning");
        Assert.That(steps, Is.Ordered);
        var history = Status()!.RolloutHistory!;
        Assert.That(history.Count(r => r.Outcome == "Promoted"), Is.EqualTo(1));
        Assert.That(history[0].Time, Is.GreaterThanOrEqualTo(started!.Value));
    }

    [Test]
    public async Task CanaryNeverReady_FailsAtTheDeadline()
    {
        await StartOperatorAsync();
        await DeployStableAsync();
        _kubelet.Unready[Name(V2)] = true;

        await UpdateAsync(s =>
        {
            s.Model!.Uri = V2;
            s.Rollout!.ProgressDeadlineSeconds = 1;
        });
        await Eventually(() => Status()?.CanaryRevision?.Phase == "Failed", "failed");

        Assert.That(Condition(Status(), ConditionTypes.RolloutHealthy, out var reason), Is.EqualTo("False"));
        Assert.That(reason, Is.EqualTo(ConditionReasons.ProgressDeadlineExceeded));
        Assert.That(Status()!.StableRevision!.TrafficPercent, Is.EqualTo(100));
    }
}
