using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Local;

/// <summary>The local HPA controller reading an external metric from a stand-in metrics API and scaling a Deployment.</summary>
[NonParallelizable]
public sealed class HorizontalPodAutoscalerTests
{
    private WebApplication _metrics = null!;
    private LocalClusterFixture _cluster = null!;
    private volatile string _value = "30";
    private volatile string? _lastQuery;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _metrics = builder.Build();
        _metrics.MapGet("/apis/external.metrics.k8s.io/v1beta1/namespaces/{ns}/{metric}", (HttpContext context, string ns, string metric) =>
        {
            if (metric == "no_such_metric")
            {
                return Results.NotFound("""{"kind":"Status","status":"Failure","reason":"NotFound","code":404}""");
            }

            _lastQuery = $"{ns}/{metric}{context.Request.QueryString.Value}";
            return Results.Text(
                $$"""{"kind":"ExternalMetricValueList","apiVersion":"external.metrics.k8s.io/v1beta1","metadata":{},"items":[{"metricName":"{{metric}}","metricLabels":{},"timestamp":"2026-01-01T00:00:00Z","value":"{{_value}}"}]}""",
                "application/json");
        });
        await _metrics.StartAsync();
        var address = _metrics.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.Single()
            : throw new InvalidOperationException("no server");
        // One sync per autoscaler in these tests (the first, on creation), so the status they read is that sync's.
        _cluster = await LocalClusterFixture.StartAsync(o =>
        {
            o.ExternalMetricsEndpoint = new Uri(address);
            o.HorizontalPodAutoscalerSyncPeriod = TimeSpan.FromHours(1);
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _cluster.DisposeAsync();
        await _metrics.DisposeAsync();
    }

    [Test]
    public async Task ExternalAverageValue_ThreeTimesTheTarget_ScalesTheDeploymentAndReportsIt()
    {
        // GPU pods never start a process here: the HPA needs only the Deployment and the metric.
        var deployment = WorkerDeployments.Build("scaled-by-hpa", replicas: 1);
        deployment.Spec.Template.Spec.Containers[0].Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") },
        };
        await _cluster.Api.CreateAsync(deployment, CancellationToken.None);
        _value = "30";
        await _cluster.Api.CreateAsync(Autoscaler("scaled-by-hpa", averageValue: "10"), CancellationToken.None);

        var hpa = await Eventually.ValueAsync(
            () => _cluster.Api.GetAsync<V2HorizontalPodAutoscaler>("default", "scaled-by-hpa", CancellationToken.None).GetAwaiter().GetResult(),
            h => h?.Status?.DesiredReplicas == 3,
            "the HPA to want 3 replicas",
            TimeSpan.FromSeconds(30));
        var scaled = await _cluster.Api.GetAsync<V1Deployment>("default", "scaled-by-hpa", CancellationToken.None);

        Assert.That(scaled!.Spec.Replicas, Is.EqualTo(3));
        Assert.That(hpa!.Status.LastScaleTime, Is.Not.Null);
        Assert.That(hpa.Status.CurrentMetrics.Single().External.Current.AverageValue.ToString(), Is.EqualTo("30"));
        Assert.That(hpa.Status.Conditions.Single(c => c.Type == "ScalingActive").Reason, Is.EqualTo("ValidMetricFound"));
        Assert.That(_lastQuery, Is.EqualTo("default/serval_concurrency?labelSelector=revision%3Dr1"));
    }

    [Test]
    public async Task ExternalMetricMissing_ReportsScalingActiveFalseAndKeepsReplicas()
    {
        var deployment = WorkerDeployments.Build("unmeasured", replicas: 1);
        deployment.Spec.Template.Spec.Containers[0].Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") },
        };
        await _cluster.Api.CreateAsync(deployment, CancellationToken.None);
        var autoscaler = Autoscaler("unmeasured", averageValue: "10");
        autoscaler.Spec.Metrics[0].External.Metric.Name = "no_such_metric";
        await _cluster.Api.CreateAsync(autoscaler, CancellationToken.None);

        var hpa = await Eventually.ValueAsync(
            () => _cluster.Api.GetAsync<V2HorizontalPodAutoscaler>("default", "unmeasured", CancellationToken.None).GetAwaiter().GetResult(),
            h => h?.Status?.Conditions?.Any(c => c.Type == "ScalingActive") == true,
            "the HPA to judge its metric",
            TimeSpan.FromSeconds(30));

        var active = hpa!.Status.Conditions.Single(c => c.Type == "ScalingActive");
        Assert.That(active.Status, Is.EqualTo("False"));
        Assert.That(active.Reason, Is.EqualTo("FailedGetExternalMetric"));
        Assert.That(active.Message, Does.Contain("no_such_metric"));
        Assert.That((await _cluster.Api.GetAsync<V1Deployment>("default", "unmeasured", CancellationToken.None))!.Spec.Replicas, Is.EqualTo(1));
    }

    private static V2HorizontalPodAutoscaler Autoscaler(string name, string averageValue) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = name },
            MinReplicas = 1,
            MaxReplicas = 8,
            Metrics =
            [
                new V2MetricSpec
                {
                    Type = "External",
                    External = new V2ExternalMetricSource
                    {
                        Metric = new V2MetricIdentifier
                        {
                            Name = "serval_concurrency",
                            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["revision"] = "r1" } },
                        },
                        Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity(averageValue) },
                    },
                },
            ],
        },
    };
}
