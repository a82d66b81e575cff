using Serval.Api.V1Alpha1;
using Serval.Operator.Rollout.Canary;
using static Serval.Operator.Tests.Rollout.Canary.CanaryRollouts;

namespace Serval.Operator.Tests.Rollout.Canary;

public sealed class CanaryStateMachineTests
{
    [Test]
    public void NewRevision_StartsAtStepZeroWithNoTraffic()
    {
        var driver = new CanaryDriver(Settings());

        var decision = driver.Decide(new CanaryObservation(false));

        Assert.That(decision.State, Is.Not.Null);
        Assert.That(decision.State!.Revision, Is.EqualTo(CanaryRev));
        Assert.That(decision.State.Phase, Is.EqualTo(CanaryPhase.Progressing));
        Assert.That(decision.State.Step, Is.Zero);
        Assert.That(decision.State.HasTraffic, Is.False);
        Assert.That(decision.CanaryTrafficPercent, Is.Zero);
        Assert.That(decision.RequeueAfter, Is.EqualTo(CanaryStateMachine.PollInterval));
        Assert.That(decision.Actions.OfType<EmitEvent>().Single().Reason, Is.EqualTo(CanaryEventReasons.RolloutStarted));
    }

    [Test]
    public void NoStableRevision_NoRollout()
    {
        var driver = new CanaryDriver(Settings(), stable: null);

        var decision = driver.Ready();

        Assert.That(decision.State, Is.Null);
        Assert.That(decision.Actions, Is.Empty);
    }

    [Test]
    public void NotReadyWithinDeadline_WaitsWithoutTraffic()
    {
        var driver = new CanaryDriver(Settings(deadline: 600));
        driver.Decide(new CanaryObservation(false));
        driver.Advance(599);

        var decision = driver.Decide(new CanaryObservation(false));

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.Progressing));
        Assert.That(decision.CanaryTrafficPercent, Is.Zero);
        Assert.That(decision.RequeueAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public void NeverReady_FailsAtTheProgressDeadline()
    {
        var driver = new CanaryDriver(Settings(deadline: 600));
        driver.Decide(new CanaryObservation(false));
        driver.Advance(600);

        var decision = driver.Decide(new CanaryObservation(false));

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.Failed));
        Assert.That(decision.State.Reason, Is.EqualTo(ConditionReasons.ProgressDeadlineExceeded));
        Assert.That(decision.State.Message, Does.Contain("not ready within 600 s"));
        Assert.That(decision.CanaryTrafficPercent, Is.Zero);
        Assert.That(decision.Actions, Has.Some.EqualTo(new ScaleToZero(CanaryRev)));
        Assert.That(decision.Actions.OfType<RecordRollout>().Single().Outcome, Is.EqualTo(RolloutOutcome.Failed));
        Assert.That(decision.Actions.OfType<EmitEvent>().Single().Warning, Is.True);
    }

    [Test]
    public void Ready_WithoutSmokeTest_EntersStepOneAtTheFirstPercent()
    {
        var driver = new CanaryDriver(Settings(steps: [10, 25, 50], interval: 60));

        var decision = driver.StartAtStepOne();

        Assert.That(decision.State!.Step, Is.EqualTo(1));
        Assert.That(decision.State.StepStartedAt, Is.EqualTo(driver.Clock.GetUtcNow()));
        Assert.That(decision.CanaryTrafficPercent, Is.EqualTo(10));
        Assert.That(decision.RequeueAfter, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(decision.Actions.OfType<EmitEvent>().Last().Reason, Is.EqualTo(CanaryEventReasons.StepAdvanced));
    }

    [Test]
    public void Ready_WithSmokeTest_AsksForItBeforeAnyTraffic()
    {
        var driver = new CanaryDriver(Settings(smokeTest: true));
        driver.Decide(new CanaryObservation(false));

        var decision = driver.Ready();

        Assert.That(decision.Actions, Has.Some.EqualTo(new RunSmokeTest(CanaryRev)));
        Assert.That(decision.CanaryTrafficPercent, Is.Zero);
        Assert.That(decision.State!.HasTraffic, Is.False);
    }

    [Test]
    public void SmokeTestMismatch_FailsWithTheMismatchAndNoTraffic()
    {
        var driver = new CanaryDriver(Settings(smokeTest: true));
        driver.Decide(new CanaryObservation(false));

        var decision = driver.Ready(smoke: new SmokeTestResult(false, "mlp.json: output[0] is 9.7273, expected -0.2727"));

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.Failed));
        Assert.That(decision.State.Reason, Is.EqualTo(ConditionReasons.SmokeTestFailed));
        Assert.That(decision.State.Message, Does.Contain("output[0] is 9.7273, expected -0.2727"));
        Assert.That(decision.CanaryTrafficPercent, Is.Zero);
        Assert.That(decision.Actions, Has.Some.EqualTo(new ScaleToZero(CanaryRev)));
        Assert.That(decision.Actions.OfType<RecordRollout>().Single().Outcome, Is.EqualTo(RolloutOutcome.RolledBack));
    }

    [Test]
    public void SmokeTestPassed_EntersStepOne()
    {
        var driver = new CanaryDriver(Settings(smokeTest: true));
        driver.Decide(new CanaryObservation(false));

        var decision = driver.Ready(smoke: new SmokeTestResult(true, "1 request answered alike"));

        Assert.That(decision.State!.Step, Is.EqualTo(1));
        Assert.That(decision.CanaryTrafficPercent, Is.EqualTo(10));
        Assert.That(decision.Actions.OfType<EmitEvent>().Select(e => e.Reason), Does.Contain(CanaryEventReasons.SmokeTestPassed));
    }

    [Test]
    public void SmokeTestPassed_IsNotAskedForAgainOnceTrafficFlows()
    {
        var driver = new CanaryDriver(Settings(smokeTest: true));
        driver.Decide(new CanaryObservation(false));
        driver.Ready(smoke: new SmokeTestResult(true, "ok"));
        driver.Advance(10);

        var decision = driver.Ready();

        Assert.That(decision.Actions.OfType<RunSmokeTest>(), Is.Empty);
        Assert.That(decision.CanaryTrafficPercent, Is.EqualTo(10));
    }

    [Test]
    public void WithinTheInterval_HoldsTheStepAndRequeuesAtItsEnd()
    {
        var driver = new CanaryDriver(Settings(interval: 60));
        driver.StartAtStepOne();
        driver.Advance(45);

        var decision = driver.Ready(Errors(1_000, 1_000));

        Assert.That(decision.State!.Step, Is.EqualTo(1));
        Assert.That(decision.State.FailedChecks, Is.Zero);
        Assert.That(decision.RequeueAfter, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(decision.Actions, Is.Empty);
    }

    [Test]
    public void PassingCheck_MovesToTheNextStep()
    {
        var driver = new CanaryDriver(Settings(steps: [10, 25, 50], interval: 60));
        driver.StartAtStepOne();
        driver.Advance(60);

        var decision = driver.Ready(Good());

        Assert.That(decision.State!.Step, Is.EqualTo(2));
        Assert.That(decision.CanaryTrafficPercent, Is.EqualTo(25));
        Assert.That(decision.State.LastAnalysis!.Kind, Is.EqualTo(AnalysisVerdictKind.Passed));
        Assert.That(decision.State.StepStartedAt, Is.EqualTo(driver.Clock.GetUtcNow()));
    }

    [Test]
    public void GoodCanary_IsPromotedAfterStepsTimesInterval()
    {
        var driver = new CanaryDriver(Settings(steps: [10, 25, 50], interval: 60));
        driver.StartAtStepOne();
        var trafficStart = driver.Clock.GetUtcNow();
        var seen = new List<int>();

        CanaryDecision decision;
        do
        {
            driver.Advance(5);
            decision = driver.Ready(Good());
            seen.Add(decision.CanaryTrafficPercent);
        }
        while (decision.State!.Phase == CanaryPhase.Progressing && driver.Clock.GetUtcNow() - trafficStart < TimeSpan.FromHours(1));

        Assert.That(decision.State.Phase, Is.EqualTo(CanaryPhase.Promoted));
        Assert.That(driver.Clock.GetUtcNow() - trafficStart, Is.EqualTo(TimeSpan.FromSeconds(180)));
        Assert.That(seen.Distinct(), Is.EqualTo(new[] { 10, 25, 50, 100 }));
        Assert.That(decision.Actions, Has.Some.EqualTo(new PromoteCanary(CanaryRev, StableRev)));
        Assert.That(decision.Actions.OfType<RecordRollout>().Single().Outcome, Is.EqualTo(RolloutOutcome.Promoted));
        Assert.That(decision.Actions.OfType<EmitEvent>().Single().Reason, Is.EqualTo(ConditionReasons.Promoted));
    }

    [Test]
    public void AfterPromotion_TheNewStableNeedsNoRollout()
    {
        var driver = new CanaryDriver(Settings(steps: [50], interval: 60));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Ready(Good());

        var decision = driver.Ready(Good());

        Assert.That(driver.Target.StableRevision, Is.EqualTo(CanaryRev));
        Assert.That(decision.State, Is.Null);
        Assert.That(decision.Actions, Is.Empty);
    }

    [Test]
    public void TooFewRequests_WaitsAndNeverPasses()
    {
        var driver = new CanaryDriver(Settings(interval: 60, deadline: 600, minRequests: 50));
        driver.StartAtStepOne();
        driver.Advance(60);

        var decision = driver.Ready(Good(requests: 49));

        Assert.That(decision.State!.Step, Is.EqualTo(1));
        Assert.That(decision.State.Phase, Is.EqualTo(CanaryPhase.Progressing));
        Assert.That(decision.State.LastAnalysis!.Kind, Is.EqualTo(AnalysisVerdictKind.Inconclusive));
        Assert.That(decision.State.Message, Does.Contain("49 of 50 requests"));
        Assert.That(decision.RequeueAfter, Is.EqualTo(CanaryStateMachine.PollInterval));
    }

    [Test]
    public void TooFewRequests_ThenEnough_PassesWithoutWaitingAnotherInterval()
    {
        var driver = new CanaryDriver(Settings(interval: 60, minRequests: 50));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Ready(Good(requests: 10));
        driver.Advance(5);

        var decision = driver.Ready(Good(requests: 50, seconds: 65));

        Assert.That(decision.State!.Step, Is.EqualTo(2));
    }

    [Test]
    public void TooFewRequestsPastTheDeadline_Fails()
    {
        var driver = new CanaryDriver(Settings(interval: 60, deadline: 300, minRequests: 50));
        driver.StartAtStepOne();
        driver.Advance(300);

        var decision = driver.Ready(Good(requests: 3, seconds: 300));

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.Failed));
        Assert.That(decision.State.Reason, Is.EqualTo(ConditionReasons.ProgressDeadlineExceeded));
        Assert.That(decision.State.Message, Does.Contain("3 of 50 requests"));
        Assert.That(decision.CanaryTrafficPercent, Is.Zero);
    }

    [Test]
    public void CanaryNotReadyDuringAStep_IsNeverJudgedAsPassing()
    {
        var driver = new CanaryDriver(Settings(interval: 60));
        driver.StartAtStepOne();
        driver.Advance(60);

        var decision = driver.Decide(new CanaryObservation(false, Good()));

        Assert.That(decision.State!.Step, Is.EqualTo(1));
        Assert.That(decision.State.LastAnalysis!.Kind, Is.EqualTo(AnalysisVerdictKind.Inconclusive));
    }

    [Test]
    public void FirstFailedCheck_BelowThreshold_StaysAtTheStepWithAFreshWindow()
    {
        var driver = new CanaryDriver(Settings(interval: 60, failureThreshold: 2));
        driver.StartAtStepOne();
        driver.Advance(60);

        var decision = driver.Ready(Errors(1_000, 50));

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.Progressing));
        Assert.That(decision.State.Step, Is.EqualTo(1));
        Assert.That(decision.State.FailedChecks, Is.EqualTo(1));
        Assert.That(decision.State.StepStartedAt, Is.EqualTo(driver.Clock.GetUtcNow()));
        Assert.That(decision.CanaryTrafficPercent, Is.EqualTo(10));
        var warning = decision.Actions.OfType<EmitEvent>().Single();
        Assert.That(warning.Warning, Is.True);
        Assert.That(warning.Message, Does.Contain("check 1 of 2 failed"));
    }

    [Test]
    public void ErrorsAtTheThreshold_RollBackWithinTwoIntervalsWithTheFigures()
    {
        var driver = new CanaryDriver(Settings(interval: 60, failureThreshold: 2, maxErrorRate: 1));
        driver.StartAtStepOne();
        var trafficStart = driver.Clock.GetUtcNow();

        CanaryDecision decision;
        do
        {
            driver.Advance(5);
            decision = driver.Ready(Errors(1_920, 96));
        }
        while (decision.State!.Phase == CanaryPhase.Progressing && driver.Clock.GetUtcNow() - trafficStart < TimeSpan.FromHours(1));

        Assert.That(decision.State.Phase, Is.EqualTo(CanaryPhase.RolledBack));
        Assert.That(driver.Clock.GetUtcNow() - trafficStart, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(120)));
        Assert.That(decision.State.Reason, Is.EqualTo(ConditionReasons.AnalysisFailed));
        Assert.That(decision.State.Message, Does.Contain("error rate 5 % > 1 % over 60 s, 1,920 requests"));
        Assert.That(decision.CanaryTrafficPercent, Is.Zero);
        Assert.That(decision.Actions, Has.Some.EqualTo(new ScaleToZero(CanaryRev)));
        Assert.That(decision.Actions.OfType<RecordRollout>().Single().Outcome, Is.EqualTo(RolloutOutcome.RolledBack));
        Assert.That(decision.Actions.OfType<EmitEvent>().Single().Reason, Is.EqualTo(ConditionReasons.AnalysisFailed));
    }

    [Test]
    public void HighLatency_RollsBackWithTheFigures()
    {
        var driver = new CanaryDriver(Settings(interval: 60, failureThreshold: 1, maxP95: 200));
        driver.StartAtStepOne();
        driver.Advance(60);

        var decision = driver.Ready(Good(requests: 1_920, p95: 412));

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.RolledBack));
        Assert.That(decision.State.Message, Does.Contain("p95 412 ms > 200 ms over 60 s, 1,920 requests"));
        Assert.That(decision.Actions.OfType<EmitEvent>().Single().Message, Does.Contain("p95 412 ms > 200 ms over 60 s, 1,920 requests"));
    }

    [Test]
    public void FailedCheckThenPass_ResetsTheCount()
    {
        var driver = new CanaryDriver(Settings(steps: [10, 25, 50], interval: 60, failureThreshold: 2));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Ready(Errors(1_000, 100));
        driver.Advance(60);
        driver.Ready(Good());
        driver.Advance(60);

        var decision = driver.Ready(Errors(1_000, 100));

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.Progressing));
        Assert.That(decision.State.Step, Is.EqualTo(2));
        Assert.That(decision.State.FailedChecks, Is.EqualTo(1));
    }

    [Test]
    public void PinnedSplit_PausesAtThePinAndIgnoresBadFigures()
    {
        var driver = new CanaryDriver(Settings(interval: 60, failureThreshold: 1, pin: 30));
        driver.StartAtStepOne();
        driver.Advance(3_600);

        var decision = driver.Ready(Errors(1_000, 1_000));

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.Paused));
        Assert.That(decision.State.Reason, Is.EqualTo(ConditionReasons.RolloutPaused));
        Assert.That(decision.CanaryTrafficPercent, Is.EqualTo(30));
        Assert.That(decision.Actions, Is.Empty);
        Assert.That(decision.RequeueAfter, Is.Null);
    }

    [Test]
    public void PinAddedMidRollout_KeepsTheStepAndPauses()
    {
        var driver = new CanaryDriver(Settings(steps: [10, 25, 50], interval: 60));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Ready(Good());
        driver.Target = driver.Target with { Rollout = Settings(steps: [10, 25, 50], interval: 60, pin: 40) };

        var decision = driver.Ready(Good());

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.Paused));
        Assert.That(decision.State.Step, Is.EqualTo(2));
        Assert.That(decision.CanaryTrafficPercent, Is.EqualTo(40));
        Assert.That(decision.Actions.OfType<EmitEvent>().Single().Reason, Is.EqualTo(ConditionReasons.RolloutPaused));
    }

    [Test]
    public void PinRemoved_ResumesAtTheSameStepWithAFreshWindow()
    {
        var driver = new CanaryDriver(Settings(steps: [10, 25, 50], interval: 60));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Ready(Good());
        driver.Target = driver.Target with { Rollout = Settings(steps: [10, 25, 50], interval: 60, pin: 40) };
        driver.Ready(Good());
        driver.Advance(600);
        driver.Target = driver.Target with { Rollout = Settings(steps: [10, 25, 50], interval: 60) };

        var decision = driver.Ready(Good());

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.Progressing));
        Assert.That(decision.State.Step, Is.EqualTo(2));
        Assert.That(decision.State.StepStartedAt, Is.EqualTo(driver.Clock.GetUtcNow()));
        Assert.That(decision.CanaryTrafficPercent, Is.EqualTo(25));
        Assert.That(decision.Actions.OfType<EmitEvent>().Single().Reason, Is.EqualTo(CanaryEventReasons.RolloutResumed));
    }

    [Test]
    public void PinnedFromTheStart_ThenRemoved_StartsAtStepOne()
    {
        var driver = new CanaryDriver(Settings(steps: [10, 25, 50], pin: 5));
        driver.StartAtStepOne();
        driver.Target = driver.Target with { Rollout = Settings(steps: [10, 25, 50]) };

        var decision = driver.Ready(Good());

        Assert.That(decision.State!.Step, Is.EqualTo(1));
        Assert.That(decision.CanaryTrafficPercent, Is.EqualTo(10));
    }

    [Test]
    public void PinnedBeforeReady_GetsNoTrafficUntilReadyAndSmokeTested()
    {
        var driver = new CanaryDriver(Settings(pin: 50, smokeTest: true));

        var notReady = driver.Decide(new CanaryObservation(false));
        var untested = driver.Ready();
        var tested = driver.Ready(smoke: new SmokeTestResult(true, "ok"));

        Assert.That(notReady.CanaryTrafficPercent, Is.Zero);
        Assert.That(untested.CanaryTrafficPercent, Is.Zero);
        Assert.That(untested.Actions, Has.Some.EqualTo(new RunSmokeTest(CanaryRev)));
        Assert.That(tested.CanaryTrafficPercent, Is.EqualTo(50));
        Assert.That(tested.State!.Phase, Is.EqualTo(CanaryPhase.Paused));
    }

    [Test]
    public void PinZero_RollsBackWithoutFailingHealth()
    {
        var driver = new CanaryDriver(Settings());
        driver.StartAtStepOne();
        driver.Target = driver.Target with { Rollout = Settings(pin: 0) };

        var decision = driver.Ready(Good());

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.RolledBack));
        Assert.That(decision.State.Reason, Is.EqualTo(ConditionReasons.ManualRollback));
        Assert.That(decision.CanaryTrafficPercent, Is.Zero);
        Assert.That(decision.Actions, Has.Some.EqualTo(new ScaleToZero(CanaryRev)));
        Assert.That(CanaryStatus.Health(decision.State).Healthy, Is.True);
    }

    [Test]
    public void RolledBack_HoldsWithoutNewEventsOrHistory()
    {
        var driver = new CanaryDriver(Settings(interval: 60, failureThreshold: 1));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Ready(Errors(1_000, 500));
        driver.Advance(3_600);

        var decision = driver.Ready(Good());

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.RolledBack));
        Assert.That(decision.Actions, Is.EqualTo(new CanaryAction[] { new ScaleToZero(CanaryRev) }));
        Assert.That(decision.CanaryTrafficPercent, Is.Zero);
        Assert.That(decision.RequeueAfter, Is.Null);
    }

    [Test]
    public void NewSpecMidRollout_SupersedesTheCanaryAndStartsOverAgainstStable()
    {
        var driver = new CanaryDriver(Settings(steps: [10, 25, 50], interval: 60));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Ready(Good());
        driver.Target = driver.Target with { DesiredRevision = NewerRev };

        var decision = driver.Decide(new CanaryObservation(false));

        Assert.That(decision.State!.Revision, Is.EqualTo(NewerRev));
        Assert.That(decision.State.Step, Is.Zero);
        Assert.That(decision.State.HasTraffic, Is.False);
        Assert.That(decision.CanaryTrafficPercent, Is.Zero);
        var record = decision.Actions.OfType<RecordRollout>().Single();
        Assert.That(record.Revision, Is.EqualTo(CanaryRev));
        Assert.That(record.Outcome, Is.EqualTo(RolloutOutcome.Superseded));
        Assert.That(decision.Actions, Has.Some.EqualTo(new RemoveRevision(CanaryRev)));
        Assert.That(decision.Actions.OfType<PromoteCanary>(), Is.Empty);
    }

    [Test]
    public void NewSpecAtTheLastStep_NeverPromotesTheOldCanary()
    {
        var driver = new CanaryDriver(Settings(steps: [50], interval: 60));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Target = driver.Target with { DesiredRevision = NewerRev };

        var decision = driver.Ready(Good());

        Assert.That(driver.AllActions.OfType<PromoteCanary>(), Is.Empty);
        Assert.That(driver.Target.StableRevision, Is.EqualTo(StableRev));
        Assert.That(decision.State!.Revision, Is.EqualTo(NewerRev));
    }

    [Test]
    public void SpecBackToStable_EndsTheRolloutAndRemovesTheCanary()
    {
        var driver = new CanaryDriver(Settings());
        driver.StartAtStepOne();
        driver.Target = driver.Target with { DesiredRevision = StableRev };

        var decision = driver.Ready(Good());

        Assert.That(decision.State, Is.Null);
        Assert.That(decision.CanaryTrafficPercent, Is.Zero);
        Assert.That(decision.Actions.OfType<RecordRollout>().Single().Outcome, Is.EqualTo(RolloutOutcome.Superseded));
        Assert.That(decision.Actions, Has.Some.EqualTo(new RemoveRevision(CanaryRev)));
    }

    [Test]
    public void NewSpecAfterRollback_RemovesTheRolledBackRevisionWithoutAnotherRecord()
    {
        var driver = new CanaryDriver(Settings(interval: 60, failureThreshold: 1));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Ready(Errors(1_000, 500));
        driver.Target = driver.Target with { DesiredRevision = NewerRev };

        var decision = driver.Decide(new CanaryObservation(false));

        Assert.That(decision.Actions, Has.Some.EqualTo(new RemoveRevision(CanaryRev)));
        Assert.That(decision.Actions.OfType<RecordRollout>(), Is.Empty);
        Assert.That(decision.State!.Revision, Is.EqualTo(NewerRev));
    }

    [Test]
    public void StepsShortenedMidRollout_ThePassingStepPromotes()
    {
        var driver = new CanaryDriver(Settings(steps: [10, 25, 50], interval: 60));
        driver.StartAtStepOne();
        driver.Advance(60);
        driver.Ready(Good());
        driver.Advance(60);
        driver.Ready(Good());
        driver.Target = driver.Target with { Rollout = Settings(steps: [20], interval: 60) };
        driver.Advance(60);

        var decision = driver.Ready(Good());

        Assert.That(decision.State!.Phase, Is.EqualTo(CanaryPhase.Promoted));
    }

    [TestCase(1)]
    [TestCase(3)]
    public void FailureThreshold_IsTheNumberOfFailedChecksInARow(int threshold)
    {
        var driver = new CanaryDriver(Settings(interval: 60, failureThreshold: threshold));
        driver.StartAtStepOne();
        var checks = 0;
        CanaryDecision decision;
        do
        {
            driver.Advance(60);
            decision = driver.Ready(Errors(1_000, 200));
            checks++;
        }
        while (decision.State!.Phase == CanaryPhase.Progressing && checks < 10);

        Assert.That(checks, Is.EqualTo(threshold));
        Assert.That(decision.State.FailedChecks, Is.EqualTo(threshold));
    }

    [Test]
    public void TrafficPercent_FollowsThePhase()
    {
        var rollout = Settings(steps: [10, 25, 50], pin: 30);
        var state = new CanaryState(CanaryRev, CanaryPhase.Progressing, 2, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0, null,
            ConditionReasons.RolloutProgressing, string.Empty);

        Assert.That(CanaryStateMachine.TrafficPercent(rollout, state), Is.EqualTo(25));
        Assert.That(CanaryStateMachine.TrafficPercent(rollout, state with { Phase = CanaryPhase.Paused }), Is.EqualTo(30));
        Assert.That(CanaryStateMachine.TrafficPercent(rollout, state with { StepStartedAt = null }), Is.Zero);
        Assert.That(CanaryStateMachine.TrafficPercent(rollout, state with { Phase = CanaryPhase.Promoted }), Is.EqualTo(100));
        Assert.That(CanaryStateMachine.TrafficPercent(rollout, state with { Phase = CanaryPhase.RolledBack }), Is.Zero);
    }
}
