using k8s.Models;
using Serval.LocalCluster.Local.Workloads;

namespace Serval.LocalCluster.Tests.Local;

public sealed class RollingUpdateTests
{
    [Test]
    public void Resolve_Defaults_AreTwentyFivePercentSurgeRoundedUpAndUnavailableRoundedDown()
    {
        Assert.That(RollingUpdate.Resolve(null, 10), Is.EqualTo((3, 2)));
    }

    [Test]
    public void Resolve_BothZero_AllowsOneUnavailable()
    {
        var strategy = new V1RollingUpdateDeployment { MaxSurge = 0, MaxUnavailable = "0%" };

        Assert.That(RollingUpdate.Resolve(strategy, 4), Is.EqualTo((0, 1)));
    }

    [Test]
    public void Resolve_BadPercentage_NamesTheField()
    {
        var strategy = new V1RollingUpdateDeployment { MaxSurge = "x%" };

        Assert.That(() => RollingUpdate.Resolve(strategy, 4), Throws.ArgumentException.With.Message.Contains("maxSurge").And.Message.Contains("x%"));
    }

    [TestCase(4, 1, 0, 4, ExpectedResult = 1)]
    [TestCase(4, 1, 1, 5, ExpectedResult = 1)]
    [TestCase(4, 2, 1, 5, ExpectedResult = 2)]
    [TestCase(4, 1, 6, 6, ExpectedResult = 4)]
    [TestCase(3, 0, 1, 3, ExpectedResult = 1)]
    public int NewReplicas_GrowsWithinTheSurge(int replicas, int maxSurge, int newSpec, int totalSpec) =>
        RollingUpdate.NewReplicas(replicas, maxSurge, newSpec, totalSpec);

    [TestCase(4, 0, 5, 1, 0, ExpectedResult = 0)]
    [TestCase(4, 0, 5, 1, 1, ExpectedResult = 1)]
    [TestCase(4, 1, 4, 0, 0, ExpectedResult = 1)]
    public int MaxScaleDown_KeepsTheMinimumAvailable(int replicas, int maxUnavailable, int totalSpec, int newSpec, int newAvailable) =>
        RollingUpdate.MaxScaleDown(replicas, maxUnavailable, totalSpec, newSpec, newAvailable);
}
