using k8s.Models;
using Serval.LocalCluster.Local.Processes;

namespace Serval.LocalCluster.Tests.Local;

public sealed class PodFitTests
{
    private static readonly Dictionary<string, int> NoExtras = [];

    [Test]
    public void Unschedulable_CpuAndMemoryOnly_Fits()
    {
        var pod = Pod(new Dictionary<string, ResourceQuantity> { ["cpu"] = new("64"), ["memory"] = new("1Ti") });

        Assert.That(PodFit.Unschedulable(pod, NoExtras), Is.Null);
    }

    [Test]
    public void Unschedulable_GpuAndMigLimits_NamesEachInsufficientResourceInOrder()
    {
        var pod = Pod(new Dictionary<string, ResourceQuantity> { ["nvidia.com/mig-1g.10gb"] = new("1"), ["nvidia.com/gpu"] = new("1") });

        Assert.That(
            PodFit.Unschedulable(pod, NoExtras),
            Is.EqualTo("0/1 nodes are available: 1 Insufficient nvidia.com/gpu, 1 Insufficient nvidia.com/mig-1g.10gb."));
    }

    [Test]
    public void Unschedulable_GpuTheNodeOffers_Fits()
    {
        var pod = Pod(new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") });

        Assert.That(PodFit.Unschedulable(pod, new Dictionary<string, int> { ["nvidia.com/gpu"] = 1 }), Is.Null);
    }

    private static V1Pod Pod(Dictionary<string, ResourceQuantity> limits) => new()
    {
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "w", Resources = new V1ResourceRequirements { Limits = limits } }] },
    };
}
