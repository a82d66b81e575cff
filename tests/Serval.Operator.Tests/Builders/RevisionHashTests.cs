using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Operator.Revisions;

namespace Serval.Operator.Tests.Builders;

public sealed class RevisionHashTests
{
    [Test]
    public void Of_IsShortEnoughForChildNamesAndDnsSafe()
    {
        var hash = RevisionHash.Of(Specs.Service().Resolve());

        Assert.That(hash, Has.Length.EqualTo(InferenceService.RevisionHashMaxLength).And.Match("^[a-z2-7]+$"));
    }

    [Test]
    public void Of_DoesNotDependOnTheOrderMapsWereWritten()
    {
        var one = Specs.Service(s => s.Scheduling = new SchedulingSpec { NodeSelector = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } });
        var two = Specs.Service(s => s.Scheduling = new SchedulingSpec { NodeSelector = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" } });

        Assert.That(RevisionHash.Of(one.Resolve()), Is.EqualTo(RevisionHash.Of(two.Resolve())));
    }

    [Test]
    public void Of_ChangesWithTheModelButNotWithAutoscalingOrRollout()
    {
        var baseline = RevisionHash.Of(Specs.Service().Resolve());
        var otherModel = RevisionHash.Of(Specs.Service(uri: "configmap://models/mlp-v2.onnx").Resolve());
        var otherScaling = RevisionHash.Of(Specs.Service(s =>
        {
            s.Autoscaling = new AutoscalingSpec { MaxReplicas = 3 };
            s.Rollout = new RolloutSpec { Strategy = "Immediate" };
        }).Resolve());

        Assert.That(otherModel, Is.Not.EqualTo(baseline));
        Assert.That(otherScaling, Is.EqualTo(baseline));
    }

    [Test]
    public void Of_ChangesWithResources()
    {
        var baseline = RevisionHash.Of(Specs.Service().Resolve());
        var gpu = RevisionHash.Of(Specs.Service(s => s.Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") },
        }).Resolve());

        Assert.That(gpu, Is.Not.EqualTo(baseline));
    }
}
