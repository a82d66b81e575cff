using k8s;
using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Operator.Rollout.Canary;
using static Serval.Operator.Tests.Rollout.Canary.CanaryRollouts;

namespace Serval.Operator.Tests.Rollout.Canary;

public sealed class CanaryStatusTests
{
    /// <summary>What an operator restart does: the state goes to status JSON and comes back from it.</summary>
    private static CanaryState? ThroughStatus(CanaryState state, IList<V1Condition>? conditions = null)
    {
        var json = KubernetesJson.Serialize(CanaryStatus.Write(state, "file:///m.onnx", 1, 1, 9));
        return CanaryStatus.Read(KubernetesJson.Deserialize<CanaryRevisionStatus>(json), conditions);
    }

    [Test]
    public void WriteThenRead_GivesTheSameState()
    {
        var driver = new CanaryDriver(Settings(interval: 60));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Ready(Errors(1_000, 100));

        var read = ThroughStatus(driver.State!);

        Assert.That(read, Is.EqualTo(driver.State));
    }

    [Test]
    public void Decide_KeepsTimesToTheSecond()
    {
        var driver = new CanaryDriver(Settings());
        driver.Clock.Advance(TimeSpan.FromMilliseconds(1_700));

        driver.StartAtStepOne();

        Assert.That(driver.State!.StartedAt.Ticks % TimeSpan.TicksPerSecond, Is.Zero);
        Assert.That(driver.State.StepStartedAt!.Value.Ticks % TimeSpan.TicksPerSecond, Is.Zero);
    }

    [Test]
    public void Write_ReportsTheAchievedShareNotTheWish()
    {
        var driver = new CanaryDriver(Settings(steps: [10]));
        driver.StartAtStepOne();

        var status = CanaryStatus.Write(driver.State!, "file:///m.onnx", 1, 1, 20);

        Assert.That(status.TrafficPercent, Is.EqualTo(20));
        Assert.That(status.Phase, Is.EqualTo("Progressing"));
        Assert.That(status.Step, Is.EqualTo(1));
    }

    [Test]
    public void RestartMidRollout_ResumesAtTheSameStepAndWindow()
    {
        var driver = new CanaryDriver(Settings(steps: [10, 25, 50], interval: 60));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Ready(Good());
        driver.Advance(30);

        driver.State = ThroughStatus(driver.State!);
        var decision = driver.Ready(Good());

        Assert.That(decision.State!.Step, Is.EqualTo(2));
        Assert.That(decision.CanaryTrafficPercent, Is.EqualTo(25));
        Assert.That(decision.RequeueAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(decision.Actions, Is.Empty);
    }

    [Test]
    public void RestartAfterAFailedCheck_KeepsTheCount()
    {
        var driver = new CanaryDriver(Settings(interval: 60, failureThreshold: 2));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Ready(Errors(1_000, 100));

        driver.State = ThroughStatus(driver.State!);
        driver.Advance(60);
        var decision = driver.Ready(Errors(1_000, 100));

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.RolledBack));
    }

    [Test]
    public void RestartAfterPromotionBeforeStableSwitched_PromotesAgainWithoutASecondRecord()
    {
        var driver = new CanaryDriver(Settings(steps: [50], interval: 60));
        driver.StartAtStepOne();
        driver.Advance(60);
        var promoted = driver.Ready(Good());
        var history = CanaryStatus.AddToHistory(null, promoted.Actions.OfType<RecordRollout>().Single());
        driver.Target = driver.Target with { StableRevision = StableRev };

        driver.State = ThroughStatus(driver.State!);
        var again = driver.Ready(Good());
        foreach (var record in again.Actions.OfType<RecordRollout>())
        {
            history = CanaryStatus.AddToHistory(history, record);
        }

        Assert.That(again.Actions, Is.EqualTo(new CanaryAction[] { new PromoteCanary(CanaryRev, StableRev) }));
        Assert.That(history, Has.Count.EqualTo(1));
    }

    [Test]
    public void RestartAfterSmokeTest_DoesNotRunItAgain()
    {
        var driver = new CanaryDriver(Settings(smokeTest: true));
        driver.Decide(new CanaryObservation(false));
        driver.Ready(smoke: new SmokeTestResult(true, "ok"));

        driver.State = ThroughStatus(driver.State!);
        var decision = driver.Ready();

        Assert.That(decision.Actions.OfType<RunSmokeTest>(), Is.Empty);
        Assert.That(decision.CanaryTrafficPercent, Is.EqualTo(10));
    }

    [Test]
    public void Read_TerminalPhase_TakesTheReasonFromTheCondition()
    {
        var driver = new CanaryDriver(Settings(smokeTest: true));
        driver.Decide(new CanaryObservation(false));
        driver.Ready(smoke: new SmokeTestResult(false, "bad"));
        var conditions = new List<V1Condition>
        {
            new() { Type = ConditionTypes.RolloutHealthy, Status = "False", Reason = ConditionReasons.SmokeTestFailed },
        };

        var read = ThroughStatus(driver.State!, conditions);

        Assert.That(read!.Reason, Is.EqualTo(ConditionReasons.SmokeTestFailed));
        Assert.That(CanaryStatus.Health(read).Healthy, Is.False);
    }

    [TestCase(null)]
    [TestCase("Sideways")]
    public void Read_UnreadableStatus_IsNoState(string? phase)
    {
        var status = new CanaryRevisionStatus { Name = CanaryRev, Phase = phase, StartedAt = DateTime.UtcNow };

        Assert.That(CanaryStatus.Read(status, null), Is.Null);
    }

    [Test]
    public void AddToHistory_KeepsTheNewestTen()
    {
        IList<RolloutRecord>? history = null;
        for (var i = 0; i < 12; i++)
        {
            history = CanaryStatus.AddToHistory(history, new RecordRollout($"mlp-{i}", RolloutOutcome.RolledBack, "m", DateTimeOffset.UnixEpoch));
        }

        Assert.That(history, Has.Count.EqualTo(InferenceServiceStatus.RolloutHistoryLimit));
        Assert.That(history![0].Revision, Is.EqualTo("mlp-11"));
        Assert.That(history[^1].Revision, Is.EqualTo("mlp-2"));
    }

    [Test]
    public void Health_FailedRolloutIsUnhealthyAndProgressIsHealthy()
    {
        var state = new CanaryState(CanaryRev, CanaryPhase.Progressing, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0, null,
            ConditionReasons.RolloutProgressing, "step 1");

        Assert.That(CanaryStatus.Health(null).Healthy, Is.True);
        Assert.That(CanaryStatus.Health(state), Is.EqualTo((true, ConditionReasons.RolloutProgressing, "step 1")));
        Assert.That(CanaryStatus.Health(state with { Phase = CanaryPhase.RolledBack, Reason = ConditionReasons.AnalysisFailed }).Healthy, Is.False);
        Assert.That(CanaryStatus.Health(state with { Phase = CanaryPhase.Failed, Reason = ConditionReasons.ProgressDeadlineExceeded }).Healthy, Is.False);
    }
}
