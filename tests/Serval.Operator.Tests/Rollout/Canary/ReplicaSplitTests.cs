using Serval.Operator.Rollout.Canary;

namespace Serval.Operator.Tests.Rollout.Canary;

public sealed class ReplicaSplitTests
{
    [TestCase(4, 0, 0)]
    [TestCase(4, 10, 1)]
    [TestCase(9, 10, 1)]
    [TestCase(4, 20, 1)]
    [TestCase(6, 25, 2)]
    [TestCase(4, 50, 4)]
    [TestCase(2, 80, 8)]
    [TestCase(1, 10, 1)]
    [TestCase(3, 100, 3)]
    [TestCase(0, 30, 1)]
    public void CanaryReplicas_AreTheWeightOfAllPods(int stable, int percent, int expected)
    {
        Assert.That(ReplicaSplit.CanaryReplicas(stable, percent, maxReplicas: 8), Is.EqualTo(expected));
    }

    [Test]
    public void CanaryReplicas_StayWithinMaxReplicas()
    {
        Assert.That(ReplicaSplit.CanaryReplicas(8, 90, maxReplicas: 8), Is.EqualTo(8));
    }

    [Test]
    public void CanaryReplicas_NegativeStable_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplicaSplit.CanaryReplicas(-1, 10, 8));
    }

    [TestCase(4, 1, 10, 20)]
    [TestCase(4, 4, 50, 50)]
    [TestCase(1, 1, 10, 50)]
    [TestCase(4, 0, 50, 0)]
    [TestCase(4, 2, 0, 0)]
    [TestCase(4, 2, 100, 100)]
    [TestCase(0, 2, 30, 100)]
    public void AchievedPercent_IsTheShareOfReadyPods(int stableReady, int canaryReady, int percent, int expected)
    {
        Assert.That(ReplicaSplit.AchievedPercent(stableReady, canaryReady, percent), Is.EqualTo(expected));
    }

    [Test]
    public void AchievedPercent_ForTheWeightsOfTheirReplicas_IsCloseToTheWish()
    {
        foreach (var percent in new[] { 20, 25, 50, 75, 80 })
        {
            var canary = ReplicaSplit.CanaryReplicas(12, percent, maxReplicas: 100);

            Assert.That(ReplicaSplit.AchievedPercent(12, canary, percent), Is.EqualTo(percent).Within(3), $"weight {percent}");
        }
    }

    [TestCase(25, true, 25)]
    [TestCase(25, false, 0)]
    [TestCase(100, true, 100)]
    public void RouteWeight_IsExactWhileReadyAndZeroOtherwise(int percent, bool ready, int expected)
    {
        Assert.That(ReplicaSplit.RouteWeight(percent, ready), Is.EqualTo(expected));
    }
}
