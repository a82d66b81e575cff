using Serval.Api.V1Alpha1;
using Serval.Operator.Rollout.Canary;

namespace Serval.Operator.Tests.Rollout.Canary;

public sealed class CanaryAnalysisTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 4, 0, 0, TimeSpan.Zero);

    private static ResolvedAnalysis Limits(double maxErrorRate = 1, int maxP95 = 200, double? increase = null, int minRequests = 50) =>
        new(maxErrorRate, maxP95, increase, minRequests, 2);

    private static RevisionWindow Window(long requests, long errors = 0, double? p95 = 40) =>
        new(requests, errors, p95, TimeSpan.FromSeconds(60));

    [Test]
    public void NoFigures_IsInconclusive()
    {
        var verdict = CanaryAnalysis.Judge(Limits(), null, null, Now);

        Assert.That(verdict.Kind, Is.EqualTo(AnalysisVerdictKind.Inconclusive));
    }

    [Test]
    public void FewerThanMinRequests_IsInconclusiveEvenWithBadFigures()
    {
        var verdict = CanaryAnalysis.Judge(Limits(minRequests: 50), Window(49, errors: 49, p95: 5_000), null, Now);

        Assert.That(verdict.Kind, Is.EqualTo(AnalysisVerdictKind.Inconclusive));
        Assert.That(verdict.Message, Is.EqualTo("49 of 50 requests needed over 60 s"));
    }

    [Test]
    public void ZeroRequestsWithMinRequestsZero_IsStillInconclusive()
    {
        var verdict = CanaryAnalysis.Judge(Limits(minRequests: 0), Window(0, p95: null), null, Now);

        Assert.That(verdict.Kind, Is.EqualTo(AnalysisVerdictKind.Inconclusive));
    }

    [Test]
    public void WithinLimits_Passes()
    {
        var verdict = CanaryAnalysis.Judge(Limits(), Window(1_920, errors: 19, p95: 199), null, Now);

        Assert.That(verdict.Kind, Is.EqualTo(AnalysisVerdictKind.Passed));
        Assert.That(verdict.Requests, Is.EqualTo(1_920));
        Assert.That(verdict.Message, Is.EqualTo("error rate 0.99 %, p95 199 ms over 60 s, 1,920 requests"));
    }

    [Test]
    public void ErrorRateOverTheLimit_FailsWithTheFigures()
    {
        var verdict = CanaryAnalysis.Judge(Limits(maxErrorRate: 1), Window(1_920, errors: 48), null, Now);

        Assert.That(verdict.Kind, Is.EqualTo(AnalysisVerdictKind.Failed));
        Assert.That(verdict.ErrorRatePercent, Is.EqualTo(2.5));
        Assert.That(verdict.Message, Is.EqualTo("error rate 2.5 % > 1 % over 60 s, 1,920 requests"));
    }

    [Test]
    public void ErrorRateIsCheckedBeforeLatency()
    {
        var verdict = CanaryAnalysis.Judge(Limits(), Window(100, errors: 100, p95: 900), null, Now);

        Assert.That(verdict.Message, Does.StartWith("error rate 100 %"));
    }

    [Test]
    public void P95OverTheLimit_FailsWithTheFigures()
    {
        var verdict = CanaryAnalysis.Judge(Limits(maxP95: 200), Window(1_920, p95: 412), null, Now);

        Assert.That(verdict.Kind, Is.EqualTo(AnalysisVerdictKind.Failed));
        Assert.That(verdict.Message, Is.EqualTo("p95 412 ms > 200 ms over 60 s, 1,920 requests"));
    }

    [Test]
    public void P95AboveStableByMoreThanTheMargin_Fails()
    {
        var verdict = CanaryAnalysis.Judge(Limits(increase: 50), Window(1_000, p95: 121), Window(5_000, p95: 80), Now);

        Assert.That(verdict.Kind, Is.EqualTo(AnalysisVerdictKind.Failed));
        Assert.That(verdict.StableLatencyP95Milliseconds, Is.EqualTo(80));
        Assert.That(verdict.Message, Is.EqualTo("p95 121 ms > 120 ms (stable p95 80 ms + 50 %) over 60 s, 1,000 requests"));
    }

    [Test]
    public void P95AboveStableWithinTheMargin_Passes()
    {
        var verdict = CanaryAnalysis.Judge(Limits(increase: 50), Window(1_000, p95: 120), Window(5_000, p95: 80), Now);

        Assert.That(verdict.Kind, Is.EqualTo(AnalysisVerdictKind.Passed));
    }

    [Test]
    public void RelativeMarginWithoutStableTraffic_FallsBackToTheAbsoluteLimit()
    {
        var verdict = CanaryAnalysis.Judge(Limits(increase: 10), Window(1_000, p95: 150), Window(0, p95: null), Now);

        Assert.That(verdict.Kind, Is.EqualTo(AnalysisVerdictKind.Passed));
        Assert.That(verdict.StableLatencyP95Milliseconds, Is.Null);
    }

    [Test]
    public void WithoutAMargin_StableLatencyDoesNotMatter()
    {
        var verdict = CanaryAnalysis.Judge(Limits(), Window(1_000, p95: 150), Window(1_000, p95: 10), Now);

        Assert.That(verdict.Kind, Is.EqualTo(AnalysisVerdictKind.Passed));
    }
}
