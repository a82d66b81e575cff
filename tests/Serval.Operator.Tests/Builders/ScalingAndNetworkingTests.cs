using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Operator.Networking;
using Serval.Operator.Revisions;
using Serval.Operator.Scaling;

namespace Serval.Operator.Tests.Builders;

public sealed class ScalingAndNetworkingTests
{
    [Test]
    public void Hpa_Cpu_IsAResourceUtilizationTarget()
    {
        var hpa = HpaBuilder.Build(Specs.Revision(Specs.Service(s =>
        {
            s.Autoscaling = new AutoscalingSpec { Metric = "Cpu", Target = 70, MinReplicas = 2, MaxReplicas = 5 };
            s.Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m") } };
        })));
        var metric = hpa.Spec.Metrics.Single();

        Assert.That((metric.Type, metric.Resource.Name, metric.Resource.Target.AverageUtilization), Is.EqualTo(("Resource", "cpu", (int?)70)));
        Assert.That((hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas), Is.EqualTo(((int?)2, 5)));
    }

    [Test]
    public void Hpa_Concurrency_IsTheDesiredReplicasExternalMetricOfTheRevision()
    {
        var revision = Specs.Revision(Specs.Service());
        var metric = HpaBuilder.Build(revision).Spec.Metrics.Single();

        Assert.That(metric.External.Metric.Name, Is.EqualTo("serval-desired-replicas"));
        Assert.That(metric.External.Metric.Selector.MatchLabels, Is.EquivalentTo(revision.Labels()));
        Assert.That((metric.External.Target.Type, metric.External.Target.AverageValue.ToString()), Is.EqualTo(("AverageValue", "1")));
    }

    [Test]
    public void Hpa_ScaleDownWaitsTheDelayOnce()
    {
        var external = HpaBuilder.Build(Specs.Revision(Specs.Service(s => s.Autoscaling = new AutoscalingSpec { ScaleDownDelaySeconds = 120 })));
        var cpu = HpaBuilder.Build(Specs.Revision(Specs.Service(s =>
        {
            s.Autoscaling = new AutoscalingSpec { Metric = "Cpu", Target = 70, ScaleDownDelaySeconds = 120 };
            s.Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m") } };
        })));

        Assert.Multiple(() =>
        {
            // The operator's decision already holds a lower count for the delay; the HPA adds no second wait.
            Assert.That(external.Spec.Behavior.ScaleDown.StabilizationWindowSeconds, Is.Zero);
            Assert.That(cpu.Spec.Behavior.ScaleDown.StabilizationWindowSeconds, Is.EqualTo(120));
        });
    }

    [Test]
    public void Pdb_OnlyWhenMoreThanOneReplicaMayRunOrOnSpot()
    {
        Assert.That(PdbBuilder.Wanted(Specs.Revision(Specs.Service(s => s.Autoscaling = new AutoscalingSpec { MinReplicas = 1, MaxReplicas = 1 }))), Is.False);
        Assert.That(PdbBuilder.Wanted(Specs.Revision(Specs.Service(s =>
        {
            s.Autoscaling = new AutoscalingSpec { MinReplicas = 1, MaxReplicas = 1 };
            s.Scheduling = new SchedulingSpec { Spot = true };
        }))), Is.True);
        Assert.That(PdbBuilder.Wanted(Specs.Revision(Specs.Service())), Is.True);
    }

    [Test]
    public void TopLevelService_OneServingRevision_SelectsItAndCarriesTheRevisionAnnotations()
    {
        var service = TopLevel(new TrafficSplit("aaa", "bbb", 0));

        Assert.That(service.Spec.Selector[ServalLabels.Revision], Is.EqualTo("aaa"));
        Assert.That(service.Metadata.Annotations[ServalLabels.StableRevisionAnnotation], Is.EqualTo("aaa"));
        Assert.That(service.Metadata.Annotations[ServalLabels.CanaryRevisionAnnotation], Is.EqualTo("bbb"));
    }

    [Test]
    public void TopLevelService_TwoServingRevisions_SelectsAllPodsOfTheService()
    {
        var service = TopLevel(new TrafficSplit("aaa", "bbb", 25));

        Assert.That(service.Spec.Selector, Is.EquivalentTo(new Dictionary<string, string> { [ServalLabels.InferenceService] = "mlp" }));
    }

    [Test]
    public void HttpRoute_WeighsTheRevisionServicesAndPinsByHeader()
    {
        var owner = Specs.Service();
        var route = HttpRouteBuilder.Build(owner, new ResolvedTraffic("gw", "infra", ["mlp.example.com"]), new TrafficSplit("aaa", "bbb", 25));
        var rules = route.Spec!["rules"]!.AsArray();

        Assert.That(rules, Has.Count.EqualTo(3));
        Assert.That((string?)rules[0]!["matches"]![0]!["headers"]![0]!["value"], Is.EqualTo("canary"));
        Assert.That((string?)rules[0]!["backendRefs"]![0]!["name"], Is.EqualTo("mlp-bbb"));
        var weighted = rules[2]!["backendRefs"]!.AsArray();
        Assert.That(weighted.Select(b => ((string?)b!["name"], (int?)b["weight"])), Is.EqualTo(new[] { ("mlp-aaa", (int?)75), ("mlp-bbb", (int?)25) }));
        Assert.That((string?)route.Spec["parentRefs"]![0]!["namespace"], Is.EqualTo("infra"));
    }

    private static k8s.Models.V1Service TopLevel(TrafficSplit split) => ServiceBuilder.TopLevel(Specs.Service(), split);
}
