using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Operator.Revisions;
using Serval.Operator.Workloads;

namespace Serval.Operator.Tests.Builders;

public sealed class DeploymentBuilderTests
{
    private static V1Deployment Build(InferenceService service, int replicas = 1) => DeploymentBuilder.Build(Specs.Revision(service), replicas);

    [Test]
    public void Build_ConfigMapModel_MountsItReadOnlyAndPointsTheWorkerAtTheKey()
    {
        var deployment = Build(Specs.Service(s => s.Model!.Sha256 = new string('a', 64)));
        var pod = deployment.Spec.Template.Spec;
        var worker = pod.Containers.Single();

        Assert.That(worker.Name, Is.EqualTo("worker"));
        Assert.That(worker.Args, Is.EqualTo(new[]
        {
            "--model", "/var/run/serval/model/mlp.onnx", "--model-sha256", new string('a', 64), "--name", "mlp", "--port", "8080",
            "--max-batch-size", "16", "--max-queue-delay-us", "500", "--max-queue-length", "256", "--execution-provider", "Auto",
        }));
        Assert.That(pod.Volumes.Single(v => v.Name == "model").ConfigMap.Name, Is.EqualTo("models"));
        Assert.That(worker.VolumeMounts.Single(m => m.Name == "model").ReadOnlyProperty, Is.True);
        Assert.That(worker.Ports.Single().Name, Is.EqualTo("http"));
    }

    [Test]
    public void Build_HttpsModel_DownloadsIntoAnEmptyDir()
    {
        var pod = Build(Specs.Service(uri: "https://example.com/m.onnx")).Spec.Template.Spec;

        Assert.That(pod.Containers[0].Args[1], Is.EqualTo("https://example.com/m.onnx"));
        Assert.That(pod.Volumes.Single(v => v.Name == "model").EmptyDir, Is.Not.Null);
        Assert.That(pod.Containers[0].Env.Single().Name, Is.EqualTo("TMPDIR"));
    }

    [Test]
    public void Build_PvcModel_MountsTheClaim()
    {
        var pod = Build(Specs.Service(uri: "pvc://models/team/m.onnx")).Spec.Template.Spec;

        Assert.That(pod.Volumes.Single(v => v.Name == "model").PersistentVolumeClaim.ClaimName, Is.EqualTo("models"));
        Assert.That(pod.Containers[0].Args[1], Is.EqualTo("/var/run/serval/model/team/m.onnx"));
    }

    [Test]
    public void Build_Gpu_AddsTolerationProductSelectorAndMemoryAffinity()
    {
        var pod = Build(Specs.Service(s =>
        {
            s.Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") } };
            s.Accelerator = new AcceleratorSpec { Product = "NVIDIA-H100-80GB-HBM3", MinMemoryMiB = 40000 };
        })).Spec.Template.Spec;

        Assert.That(pod.Tolerations.Single().Key, Is.EqualTo("nvidia.com/gpu"));
        Assert.That(pod.NodeSelector["nvidia.com/gpu.product"], Is.EqualTo("NVIDIA-H100-80GB-HBM3"));
        var expression = pod.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms.Single().MatchExpressions.Single();
        Assert.That((expression.Key, expression.OperatorProperty, expression.Values.Single()), Is.EqualTo(("nvidia.com/gpu.memory", "Gt", "39999")));
        Assert.That(pod.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString(), Is.EqualTo("1"));
    }

    [Test]
    public void Build_Cpu_HasNoGpuToleration()
    {
        var pod = Build(Specs.Service()).Spec.Template.Spec;

        Assert.That(pod.Tolerations, Is.Null);
        Assert.That(pod.NodeSelector, Is.Null);
    }

    [Test]
    public void Build_LocksDownThePod()
    {
        var pod = Build(Specs.Service()).Spec.Template.Spec;
        var security = pod.Containers[0].SecurityContext;

        Assert.That(pod.SecurityContext.RunAsNonRoot, Is.True);
        Assert.That(pod.SecurityContext.SeccompProfile.Type, Is.EqualTo("RuntimeDefault"));
        Assert.That(security.ReadOnlyRootFilesystem, Is.True);
        Assert.That(security.AllowPrivilegeEscalation, Is.False);
        Assert.That(security.Capabilities.Drop, Is.EqualTo(new[] { "ALL" }));
    }

    [Test]
    public void Build_ProbesScrapeAnnotationsAndLabels()
    {
        var service = Specs.Service();
        var revision = Specs.Revision(service);
        var deployment = DeploymentBuilder.Build(revision, 1);
        var worker = deployment.Spec.Template.Spec.Containers[0];

        Assert.That(worker.ReadinessProbe.HttpGet.Path, Is.EqualTo("/v2/health/ready"));
        Assert.That(worker.LivenessProbe.HttpGet.Path, Is.EqualTo("/v2/health/live"));
        Assert.That(worker.StartupProbe.FailureThreshold * worker.StartupProbe.PeriodSeconds, Is.GreaterThanOrEqualTo(300));
        Assert.That(deployment.Spec.Template.Metadata.Annotations["prometheus.io/scrape"], Is.EqualTo("true"));
        Assert.That(deployment.Spec.Template.Metadata.Labels, Is.EquivalentTo(new Dictionary<string, string>
        {
            [ServalLabels.InferenceService] = "mlp",
            [ServalLabels.Revision] = revision.Hash,
        }));
        Assert.That(deployment.Metadata.Name, Is.EqualTo($"mlp-{revision.Hash}"));
        Assert.That(deployment.Metadata.OwnerReferences.Single().Controller, Is.True);
    }

    [Test]
    public void Build_Spot_SpreadsOverZonesAndNodes()
    {
        var pod = Build(Specs.Service(s => s.Scheduling = new SchedulingSpec { Spot = true })).Spec.Template.Spec;

        Assert.That(pod.TopologySpreadConstraints.Select(t => t.TopologyKey), Is.EqualTo(new[] { "topology.kubernetes.io/zone", "kubernetes.io/hostname" }));
    }

    [TestCase(null, 1, 8, false, 1)]
    [TestCase(5, 1, 8, false, 5)]
    [TestCase(50, 1, 8, false, 8)]
    [TestCase(0, 2, 8, false, 2)]
    [TestCase(5, 1, 8, true, 0)]
    public void Replicas_KeepsTheHpasChoiceWithinBounds(int? live, int min, int max, bool zero, int expected) =>
        Assert.That(DeploymentBuilder.Replicas(live, min, max, zero), Is.EqualTo(expected));
}
