using Serval.LocalCluster.Local.Autoscaling;

namespace Serval.LocalCluster.Tests.Local;

public sealed class ReplicaCalculatorTests
{
    private const double Tolerance = 0.1;

    [Test]
    public void ForUtilization_AboveTarget_ScalesByTheUsageRatio()
    {
        var pods = new[] { new PodSample(0.9, 0.5, true), new PodSample(0.9, 0.5, true) };

        var proposal = ReplicaCalculator.ForUtilization(2, pods, 80, Tolerance);

        Assert.That(proposal.Replicas, Is.EqualTo(5));
        Assert.That(proposal.CurrentUtilization, Is.EqualTo(180));
    }

    [Test]
    public void ForUtilization_WithinTolerance_KeepsTheReplicas()
    {
        var pods = new[] { new PodSample(0.425, 0.5, true), new PodSample(0.425, 0.5, true) };

        Assert.That(ReplicaCalculator.ForUtilization(2, pods, 80, Tolerance).Replicas, Is.EqualTo(2));
    }

    [Test]
    public void ForUtilization_PodWithoutMetrics_DampsAScaleDown()
    {
        var pods = new[] { new PodSample(0.05, 0.5, true), new PodSample(null, 0.5, true), new PodSample(0.05, 0.5, true) };

        // Measured pods alone would ask for 1; the missing one counted at its full request keeps 2.
        Assert.That(ReplicaCalculator.ForUtilization(3, pods, 80, Tolerance).Replicas, Is.EqualTo(2));
    }

    [Test]
    public void ForUtilization_UnreadyPodWhileScalingUp_CountsAsIdle()
    {
        var pods = new[] { new PodSample(1.0, 0.5, true), new PodSample(1.0, 0.5, false) };

        // Ready pod alone: 200% / 80% over 1 pod = 3; with the unready one at 0%: 100% / 80% over 2 pods = 3.
        Assert.That(ReplicaCalculator.ForUtilization(2, pods, 80, Tolerance).Replicas, Is.EqualTo(3));
    }

    [Test]
    public void ForValue_TotalThreeTimesTheTarget_TriplesTheReadyPods()
    {
        Assert.That(ReplicaCalculator.ForValue(2, 2, 30, 10, Tolerance).Replicas, Is.EqualTo(6));
    }

    [Test]
    public void ForAverageValue_Total_NeedsEnoughPodsForTheAverage()
    {
        var proposal = ReplicaCalculator.ForAverageValue(2, 30, 4, Tolerance);

        Assert.That(proposal.Replicas, Is.EqualTo(8));
        Assert.That(proposal.CurrentValue, Is.EqualTo(15));
    }
}
