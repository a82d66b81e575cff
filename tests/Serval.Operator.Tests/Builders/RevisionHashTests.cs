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

    /// <summary>
    /// A revision hash names a revision's Deployment: were it to change between releases for the same spec, an
    /// upgrade of the operator would roll every InferenceService. These are the hashes earlier releases gave.
    /// </summary>
    [Test]
    public void Of_GivesTheHashesEarlierReleasesGave()
    {
        var plain = RevisionHash.Of(Specs.Service().Resolve());
        var rich = RevisionHash.Of(Rich().Resolve());

        Assert.Multiple(() =>
        {
            Assert.That(plain, Is.EqualTo("bshfhvhnsc"));
            Assert.That(rich, Is.EqualTo("u4zwacglbc"));
        });
    }

    [Test]
    public void OfObject_GivesTheHashesEarlierReleasesGave()
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta
            {
                Name = "mlp-abc",
                Labels = new Dictionary<string, string> { ["z"] = "last", ["a"] = "first", ["é"] = "<&'\"quoted\">" },
                Annotations = new Dictionary<string, string> { ["note"] = "naïve café ✓" },
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec
                    {
                        Containers = [new V1Container { Name = "worker", Args = ["--max-batch-size", "16", ""], Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("1.5Gi") } } }],
                        TerminationGracePeriodSeconds = 30,
                    },
                },
            },
        };

        Assert.That(RevisionHash.OfObject(deployment), Is.EqualTo("2f94a1ac71d5cbc2"));
    }

    private static InferenceService Rich() => Specs.Service(s =>
    {
        s.Model!.Sha256 = "ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789";
        s.Runtime = new RuntimeSpec { Image = "registry.example/serval-worker:2", ExecutionProvider = "Cuda", IntraOpThreads = 4 };
        s.Batching = new BatchingSpec { MaxBatchSize = 32, MaxQueueDelayMicroseconds = 750 };
        s.Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1"), ["memory"] = new("8Gi") },
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2") },
        };
        s.Accelerator = new AcceleratorSpec { Product = "NVIDIA-H100-80GB-HBM3", MinMemoryMiB = 40000 };
        s.Scheduling = new SchedulingSpec
        {
            NodeSelector = new Dictionary<string, string> { ["pool"] = "gpu", ["zone"] = "eu-west-1a" },
            Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "ml", Effect = "NoSchedule" }],
            PriorityClassName = "inference",
            Spot = true,
        };
    });
}
