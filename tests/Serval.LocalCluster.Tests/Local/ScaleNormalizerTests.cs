using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Serval.LocalCluster.Local.Autoscaling;

namespace Serval.LocalCluster.Tests.Local;

public sealed class ScaleNormalizerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public void Normalize_LargeScaleUp_IsLimitedToFourPodsOrDoublingPerFifteenSeconds()
    {
        var decision = ScaleNormalizer.Normalize(new ScalingHistory(), null, 1, 20, 1, 100, _time.GetUtcNow());

        Assert.That(decision.Replicas, Is.EqualTo(5));
        Assert.That(decision.LimitReason, Is.EqualTo("ScaleUpLimit"));
    }

    [Test]
    public void Normalize_ScaleUpsWithinOnePeriod_ShareTheLimit()
    {
        var history = new ScalingHistory();
        var first = ScaleNormalizer.Normalize(history, null, 1, 20, 1, 100, _time.GetUtcNow());
        history.RecordScale(1, first.Replicas, _time.GetUtcNow());

        _time.Advance(TimeSpan.FromSeconds(5));
        var within = ScaleNormalizer.Normalize(history, null, 5, 20, 1, 100, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(11));
        var after = ScaleNormalizer.Normalize(history, null, 5, 20, 1, 100, _time.GetUtcNow());

        Assert.That(within.Replicas, Is.EqualTo(5));
        Assert.That(after.Replicas, Is.EqualTo(10));
    }

    [Test]
    public void Normalize_ScaleDown_WaitsForTheFiveMinuteWindow()
    {
        var history = new ScalingHistory();
        ScaleNormalizer.Normalize(history, null, 10, 10, 1, 100, _time.GetUtcNow());

        _time.Advance(TimeSpan.FromSeconds(60));
        var early = ScaleNormalizer.Normalize(history, null, 10, 2, 1, 100, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(241));
        var late = ScaleNormalizer.Normalize(history, null, 10, 2, 1, 100, _time.GetUtcNow());

        Assert.That(early.Replicas, Is.EqualTo(10));
        Assert.That(early.AbleReason, Is.EqualTo("ScaleDownStabilized"));
        Assert.That(late.Replicas, Is.EqualTo(2));
    }

    [Test]
    public void Normalize_BehaviorWithoutScaleDownWindow_ScalesDownAtOnceWithinItsPolicy()
    {
        var behavior = new V2HorizontalPodAutoscalerBehavior
        {
            ScaleDown = new V2HPAScalingRules
            {
                StabilizationWindowSeconds = 0,
                Policies = [new V2HPAScalingPolicy { Type = "Pods", Value = 1, PeriodSeconds = 60 }],
            },
        };
        var history = new ScalingHistory();
        ScaleNormalizer.Normalize(history, behavior, 4, 4, 1, 10, _time.GetUtcNow());

        var decision = ScaleNormalizer.Normalize(history, behavior, 4, 1, 1, 10, _time.GetUtcNow());

        Assert.That(decision.Replicas, Is.EqualTo(3));
        Assert.That(decision.LimitReason, Is.EqualTo("ScaleDownLimit"));
    }

    [Test]
    public void Normalize_BelowMinimum_IsRaisedToTheMinimum()
    {
        var behavior = new V2HorizontalPodAutoscalerBehavior { ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = 0 } };

        var decision = ScaleNormalizer.Normalize(new ScalingHistory(), behavior, 3, 0, 2, 10, _time.GetUtcNow());

        Assert.That(decision.Replicas, Is.EqualTo(2));
        Assert.That(decision.LimitReason, Is.EqualTo("TooFewReplicas"));
    }

    [Test]
    public void Normalize_SelectPolicyDisabled_NeverScalesUp()
    {
        var behavior = new V2HorizontalPodAutoscalerBehavior { ScaleUp = new V2HPAScalingRules { SelectPolicy = "Disabled" } };

        Assert.That(ScaleNormalizer.Normalize(new ScalingHistory(), behavior, 2, 8, 1, 10, _time.GetUtcNow()).Replicas, Is.EqualTo(2));
    }
}
