using k8s;
using k8s.Models;
using Serval.Api.V1Alpha1;

namespace Serval.Api.Tests;

public sealed class DefaultsTests
{
    private static InferenceService Minimal() => new()
    {
        Metadata = new V1ObjectMeta { Name = "mlp", NamespaceProperty = "models" },
        Spec = new InferenceServiceSpec { Model = new ModelSpec { Uri = "configmap://mlp-model/mlp.onnx" } },
    };

    [Test]
    public void Resolve_MinimalSpec_AppliesTheBatchingDefaults()
    {
        Assert.That(Minimal().Resolve().Batching, Is.EqualTo(new ResolvedBatching(16, 500, 256)));
    }

    [Test]
    public void Resolve_MinimalSpec_AppliesTheAutoscalingDefaults()
    {
        Assert.That(Minimal().Resolve().Autoscaling, Is.EqualTo(new ResolvedAutoscaling(1, 8, AutoscalingMetric.Concurrency, 4, null, 300)));
    }

    [Test]
    public void Resolve_MinimalSpec_AppliesTheRolloutDefaults()
    {
        var rollout = Minimal().Resolve().Rollout;

        Assert.That((rollout.Strategy, rollout.StepIntervalSeconds, rollout.ProgressDeadlineSeconds, rollout.CanaryTrafficPercent, rollout.SmokeTest),
            Is.EqualTo((RolloutStrategy.Canary, 60, 600, (int?)null, (ResolvedSmokeTest?)null)));
        Assert.That(rollout.Steps, Is.EqualTo(new[] { 10, 25, 50 }));
        Assert.That(rollout.Analysis, Is.EqualTo(new ResolvedAnalysis(1, 200, null, 50, 2)));
    }

    [Test]
    public void Resolve_GivenADefaultWorkerImage_UsesItOnlyWhereTheSpecLeavesTheImageOut()
    {
        var pinned = Minimal();
        pinned.Spec.Runtime = new RuntimeSpec { Image = "registry.example/pinned:1" };

        Assert.Multiple(() =>
        {
            Assert.That(Minimal().Resolve("registry.example/worker:2").Runtime.Image, Is.EqualTo("registry.example/worker:2"));
            Assert.That(pinned.Resolve("registry.example/worker:2").Runtime.Image, Is.EqualTo("registry.example/pinned:1"));
            Assert.That(Minimal().Resolve().Runtime.Image, Is.EqualTo(InferenceServiceDefaults.WorkerImage));
            Assert.That(Minimal().Spec.Runtime, Is.Null, "resolving writes nothing into the object");
        });
    }

    [Test]
    public void Resolve_MinimalSpec_AppliesTheRuntimeDefaults()
    {
        Assert.That(Minimal().Resolve().Runtime, Is.EqualTo(new ResolvedRuntime(InferenceServiceDefaults.WorkerImage, ExecutionProvider.Auto, 0, null)));
    }

    [Test]
    public void Resolve_MinimalSpec_ServesTheModelUnderTheServiceName()
    {
        Assert.That(Minimal().Resolve().Model, Is.EqualTo(new ResolvedModel(ModelUri.Parse("configmap://mlp-model/mlp.onnx"), null, "mlp")));
    }

    [Test]
    public void Resolve_MinimalSpec_HasNoGpuAcceleratorTrafficOrSpot()
    {
        var resolved = Minimal().Resolve();

        Assert.That((resolved.Gpus.Count, resolved.Accelerator, resolved.Traffic, resolved.Scheduling.Spot), Is.EqualTo((0, (ResolvedAccelerator?)null, (ResolvedTraffic?)null, false)));
    }

    [Test]
    public void Resolve_WrittenValues_WinOverDefaults()
    {
        var service = Minimal();
        service.Spec.Batching = new BatchingSpec { MaxBatchSize = 4 };
        service.Spec.Autoscaling = new AutoscalingSpec { Metric = "Latency", LatencySloMilliseconds = 80, MaxReplicas = 3 };

        var resolved = service.Resolve();

        Assert.That(resolved.Batching, Is.EqualTo(new ResolvedBatching(4, 500, 256)));
        Assert.That(resolved.Autoscaling, Is.EqualTo(new ResolvedAutoscaling(1, 3, AutoscalingMetric.Latency, 4, 80, 300)));
    }

    [Test]
    public void Resolve_SmokeTestWithoutTolerance_UsesTheDefaultTolerance()
    {
        var service = Minimal();
        service.Spec.Rollout = new RolloutSpec { SmokeTest = new SmokeTestSpec { ConfigMapName = "checks" } };

        Assert.That(service.Resolve().Rollout.SmokeTest, Is.EqualTo(new ResolvedSmokeTest("checks", 0.01)));
    }

    [Test]
    public void Resolve_AuthTokenWithoutKey_ReadsTheTokenKey()
    {
        var service = Minimal();
        service.Spec.Runtime = new RuntimeSpec { AuthTokenSecretRef = new SecretKeyReference { Name = "creds" } };

        Assert.That(service.Resolve().Runtime.AuthToken, Is.EqualTo(new ResolvedSecretKey("creds", "token")));
    }

    [Test]
    public void Resolve_GatewayWithoutNamespace_UsesTheServiceNamespace()
    {
        var service = Minimal();
        service.Spec.Traffic = new TrafficSpec { GatewayRef = new GatewayReference { Name = "inference" } };

        var traffic = service.Resolve().Traffic!;

        Assert.That((traffic.GatewayName, traffic.GatewayNamespace, traffic.Hostnames.Count), Is.EqualTo(("inference", "models", 0)));
    }

    [Test]
    public void Resolve_UppercaseDigest_IsLowercased()
    {
        var service = Minimal();
        service.Spec.Model!.Sha256 = new string('A', 64);

        Assert.That(service.Resolve().Model.Sha256, Is.EqualTo(new string('a', 64)));
    }

    [TestCase("quickstart.yaml")]
    [TestCase("canary.yaml")]
    [TestCase("gpu.yaml")]
    [TestCase("autoscaling.yaml")]
    [TestCase("gateway.yaml")]
    public void Resolve_DoesNotWriteDefaultsBackIntoTheObject(string sample)
    {
        var service = Samples.Service(Samples.ValidText(sample));
        var before = KubernetesYaml.Serialize(service);

        _ = service.Resolve();

        Assert.That(KubernetesYaml.Serialize(service), Is.EqualTo(before));
    }

    [Test]
    public void Resolve_LaterEditsOfTheObject_DoNotReachTheResolvedSpec()
    {
        var service = Samples.Service(Samples.ValidText("gpu.yaml"));
        var resolved = service.Resolve();

        service.Spec.Scheduling!.Tolerations![0].Key = "changed";
        service.Spec.Resources!.Limits["memory"] = new ResourceQuantity("1Gi");

        Assert.That(resolved.Scheduling.Tolerations[0].Key, Is.EqualTo("nvidia.com/gpu"));
        Assert.That(resolved.Resources.Limits["memory"].ToString(), Is.EqualTo("16Gi"));
    }

    [Test]
    public void Resolve_InvalidObject_ThrowsWithEveryProblem()
    {
        var service = Minimal();
        service.Spec.Autoscaling = new AutoscalingSpec { MinReplicas = 0, Target = 0 };

        var ex = Assert.Throws<InvalidSpecException>(() => service.Resolve());

        Assert.That(ex!.Errors.Select(e => e.Field), Is.EquivalentTo(new[] { "spec.autoscaling.minReplicas", "spec.autoscaling.target" }));
        Assert.That(ex.Message, Does.Contain("spec.autoscaling.minReplicas"));
    }
}
