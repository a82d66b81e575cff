using System.Globalization;
using System.Net;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Serval.Api.V1Alpha1;
using System.Text.Json.Nodes;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.LocalCluster;
using Serval.Operator.ExternalMetrics;
using Serval.Operator.Scaling;
using Serval.Operator.Autoscaling;
using Serval.Operator.Revisions;

namespace Serval.Operator.Tests.Autoscaling;

/// <summary>The autoscaling loop over scripted worker metrics and a fake clock: what it decides and what canary analysis reads.</summary>
public sealed class AutoscalingLoopTests
{
    private const string Revision = "abc123";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedWorker _worker = new();

    private static AutoscalingInputs Inputs(V2HorizontalPodAutoscaler? hpa = null, int cachedReplicas = 1)
    {
        var service = new InferenceService
        {
            Metadata = new V1ObjectMeta { Name = "mlp", NamespaceProperty = "models" },
            Spec = new InferenceServiceSpec
            {
                Model = new ModelSpec { Uri = "configmap://mlp-model/mlp.onnx" },
                Autoscaling = new AutoscalingSpec { Metric = "Concurrency", Target = 1, MaxReplicas = 10 },
            },
        };
        var labels = new Dictionary<string, string> { [ServalLabels.InferenceService] = "mlp", [ServalLabels.Revision] = Revision };
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = $"mlp-{Revision}", NamespaceProperty = "models", Labels = labels },
            Spec = new V1DeploymentSpec { Replicas = cachedReplicas },
        };
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = $"mlp-{Revision}-0", NamespaceProperty = "models", Labels = labels },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "worker", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] }] },
            Status = new V1PodStatus { PodIP = "10.0.0.7", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
        };
        return new AutoscalingInputs(
            new ListCache<InferenceService>(service), new ListCache<V1Deployment>(deployment), new ListCache<V1Pod>(pod), _ => { }, null,
            hpa is null ? new ListCache<V2HorizontalPodAutoscaler>() : new ListCache<V2HorizontalPodAutoscaler>(hpa));
    }

    private AutoscalingLoop Loop() => new(new AutoscalingOptions { HttpHandler = _worker }, _clock, NullLogger.Instance);

    [Test]
    public async Task CanaryWindow_CoversOnlyTheTrafficSinceItsStart()
    {
        using var loop = Loop();
        var inputs = Inputs();
        // A minute of 1000 fast requests (5 ms), then a step starts and 20 slow ones (800 ms) follow.
        for (var i = 0; i <= 30; i++)
        {
            _worker.Fast = 1000 * i / 30;
            await loop.TickAsync(inputs, CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(2));
        }

        var stepStart = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(2));
        _worker.Slow = 10;
        await loop.TickAsync(inputs, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        _worker.Slow = 20;
        await loop.TickAsync(inputs, CancellationToken.None);

        var step = loop.Window(new ObjectKey("models", "mlp"), Revision, stepStart);
        var trailing = loop.RevisionMetrics(new ObjectKey("models", "mlp"), Revision);

        Assert.Multiple(() =>
        {
            Assert.That(step, Is.Not.Null);
            Assert.That(step!.Requests, Is.InRange(18, 22), "the 20 requests of the step, not the minute before");
            Assert.That(step.LatencyP95Milliseconds, Is.GreaterThan(500), "the step's own p95");
            Assert.That(step.Duration, Is.EqualTo(TimeSpan.FromSeconds(4)));
            Assert.That(trailing!.LatencyP95Milliseconds, Is.LessThan(50), "the trailing window is dominated by the fast minute");
            Assert.That(loop.Window(new ObjectKey("models", "mlp"), "other", stepStart), Is.Null);
        });
    }

    [Test]
    public async Task StatusRefresh_WithFigures_IsAskedForEveryStatusInterval()
    {
        using var loop = Loop();
        var enqueued = 0;
        var inputs = Inputs() with { Enqueue = _ => enqueued++ };
        _worker.Fast = 100;

        // 30 s of ticks every 2 s, the decision steady: the first tick, then one refresh per 10 s interval.
        for (var i = 0; i <= 15; i++)
        {
            await loop.TickAsync(inputs, CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.That(enqueued, Is.EqualTo(4));
    }

    [Test]
    public async Task StatusRefresh_WithoutFigures_IsNotAskedForAgain_UntilSomethingChanges()
    {
        using var loop = Loop();
        var enqueued = 0;
        var inputs = Inputs() with { Pods = new ListCache<V1Pod>(), Enqueue = _ => enqueued++ };

        for (var i = 0; i <= 15; i++)
        {
            await loop.TickAsync(inputs, CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(2));
        }

        var quiet = enqueued;

        // The pod becomes ready: figures need two scrapes (a rate is a delta).
        var withPod = Inputs() with { Enqueue = _ => enqueued++ };
        await loop.TickAsync(withPod, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await loop.TickAsync(withPod, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(quiet, Is.EqualTo(1), "the first decision only: status has no figures to refresh");
            Assert.That(enqueued, Is.EqualTo(2), "figures appearing are news");
        });
    }

    [Test]
    public async Task Decision_FollowsANewGenerationOfTheSpec_AndKeepsTheResolvedSpecWithinOne()
    {
        using var loop = Loop();
        var inputs = Inputs();
        var service = inputs.Services.List().Single();
        service.Metadata.Uid = "uid-mlp";
        service.Metadata.Generation = 1;
        _worker.InFlight = 6;
        await TicksAsync(loop, inputs, 2);
        var before = loop.Decisions.Get(new RevisionKey("models", "mlp", Revision))?.Replicas;

        // Within one generation the resolved spec is kept (an edit the API server would have counted as a new
        // generation is not seen); the next generation is resolved again.
        service.Spec.Autoscaling!.MaxReplicas = 3;
        await TicksAsync(loop, inputs, 1);
        var sameGeneration = loop.Decisions.Get(new RevisionKey("models", "mlp", Revision))?.Replicas;
        service.Metadata.Generation = 2;
        await TicksAsync(loop, inputs, 1);
        var nextGeneration = loop.Decisions.Get(new RevisionKey("models", "mlp", Revision))?.Replicas;

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(9));
            Assert.That(sameGeneration, Is.EqualTo(9));
            Assert.That(nextGeneration, Is.EqualTo(3), "maxReplicas of generation 2");
        });
    }

    [Test]
    public async Task Decision_IsSetOnTheDeploymentAtOnce_WhenItsHpaScalesFromTheDecision()
    {
        await using var server = await ServerWithDeploymentAsync(replicas: 1);
        using var api = new KubernetesApi(server.ClientConfiguration(), new KubernetesApiOptions { FieldManager = "serval-operator" });
        using var loop = Loop();
        var inputs = Inputs(Hpa(external: true)) with { Api = api };

        // 6 in flight on one replica, target 1 at 70 %: 9 replicas, in panic.
        _worker.InFlight = 6;
        await TicksAsync(loop, inputs, 2);

        Assert.Multiple(() =>
        {
            Assert.That(loop.Decisions.Get(new RevisionKey("models", "mlp", Revision))?.Replicas, Is.EqualTo(9));
            Assert.That(LiveReplicas(server), Is.EqualTo(9), "the Deployment is scaled without waiting for the HPA's sync");
            Assert.That(server.Requests.Snapshot().Count(r => r.IsWrite && r.Subresource == "scale"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Decision_IsLeftToTheHpa_WhenTheHpaDoesNotScaleFromIt_DirectScalingIsOff_ThisOperatorIsAStandby_OrTheRevisionIsAtZero()
    {
        await using var server = await ServerWithDeploymentAsync(replicas: 1);
        using var api = new KubernetesApi(server.ClientConfiguration(), new KubernetesApiOptions { FieldManager = "serval-operator" });
        using var loop = Loop();
        _worker.InFlight = 6;

        await TicksAsync(loop, Inputs(Hpa(external: false)) with { Api = api }, 2);
        await TicksAsync(loop, Inputs(hpa: null) with { Api = api }, 1);
        using var disabled = new AutoscalingLoop(new AutoscalingOptions { HttpHandler = _worker, ScaleDirectly = false }, _clock, NullLogger.Instance);
        await TicksAsync(disabled, Inputs(Hpa(external: true)) with { Api = api }, 2);
        using var standby = Loop();
        await TicksAsync(standby, Inputs(Hpa(external: true)) with { Api = api, Leads = () => false }, 2);
        using var atZero = Loop();
        await TicksAsync(atZero, Inputs(Hpa(external: true), cachedReplicas: 0) with { Api = api }, 2);

        Assert.Multiple(() =>
        {
            Assert.That(LiveReplicas(server), Is.EqualTo(1), "a CPU HPA, no HPA, --scale-directly false, a standby operator, or a revision at zero: no direct write");
            Assert.That(server.Requests.Snapshot().Count(r => r.IsWrite && r.Subresource == "scale"), Is.Zero);
        });
    }

    [Test]
    public async Task Decision_NeverOverwritesACountThatMovedSinceTheCacheSawIt()
    {
        // The cache still says 1; someone (the HPA, a person) has set 12 meanwhile.
        await using var server = await ServerWithDeploymentAsync(replicas: 12);
        using var api = new KubernetesApi(server.ClientConfiguration(), new KubernetesApiOptions { FieldManager = "serval-operator" });
        using var loop = Loop();
        _worker.InFlight = 6;

        await TicksAsync(loop, Inputs(Hpa(external: true)) with { Api = api }, 2);

        Assert.Multiple(() =>
        {
            Assert.That(LiveReplicas(server), Is.EqualTo(12), "the test in the patch refuses a stale count");
            Assert.That(server.Requests.Snapshot().Count(r => r.IsWrite && r.Subresource == "scale" && r.StatusCode == 422), Is.EqualTo(1));
        });
    }

    private async Task TicksAsync(AutoscalingLoop loop, AutoscalingInputs inputs, int ticks)
    {
        for (var i = 0; i < ticks; i++)
        {
            await loop.TickAsync(inputs, CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(2));
        }
    }

    private static V2HorizontalPodAutoscaler Hpa(bool external) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"mlp-{Revision}", NamespaceProperty = "models" },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = $"mlp-{Revision}" },
            MinReplicas = 1,
            MaxReplicas = 10,
            Metrics = [external
                ? new V2MetricSpec { Type = "External", External = new V2ExternalMetricSource { Metric = new V2MetricIdentifier { Name = HpaBuilder.DesiredReplicasMetric } } }
                : new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "cpu" } }],
        },
    };

    /// <summary>An embedded API server holding namespace models and the revision's Deployment with <paramref name="replicas"/>.</summary>
    private static async Task<EmbeddedApiServer> ServerWithDeploymentAsync(int replicas)
    {
        var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { Port = 0 });
        server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "models" } });
        server.Create(DeploymentJson(replicas));
        return server;
    }

    private static JsonObject DeploymentJson(int replicas)
    {
        var labels = new JsonObject { [ServalLabels.InferenceService] = "mlp", [ServalLabels.Revision] = Revision };
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = $"mlp-{Revision}", ["namespace"] = "models", ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "worker", ["image"] = "serval-worker" }) },
                },
            },
        };
    }

    private static int? LiveReplicas(EmbeddedApiServer server) =>
        (int?)server.Get("apps/v1", "Deployment", "models", $"mlp-{Revision}")?["spec"]?["replicas"];

    /// <summary>A worker's /metrics whose request counts the test sets.</summary>
    private sealed class ScriptedWorker : HttpMessageHandler
    {
        public int Fast { get; set; }

        public int Slow { get; set; }

        public int InFlight { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var total = Fast + Slow;
            var text = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"serval_inference_requests_total{{model=\"mlp\",outcome=\"success\"}} {total}")
                .AppendLine(CultureInfo.InvariantCulture, $"serval_inference_request_duration_seconds_bucket{{model=\"mlp\",le=\"0.01\"}} {Fast}")
                .AppendLine(CultureInfo.InvariantCulture, $"serval_inference_request_duration_seconds_bucket{{model=\"mlp\",le=\"1\"}} {total}")
                .AppendLine(CultureInfo.InvariantCulture, $"serval_inference_request_duration_seconds_bucket{{model=\"mlp\",le=\"+Inf\"}} {total}")
                .AppendLine(CultureInfo.InvariantCulture, $"serval_inference_request_duration_seconds_sum{{model=\"mlp\"}} {(Fast * 0.005) + (Slow * 0.8)}")
                .AppendLine(CultureInfo.InvariantCulture, $"serval_inference_request_duration_seconds_count{{model=\"mlp\"}} {total}")
                .AppendLine(CultureInfo.InvariantCulture, $"serval_inference_compute_duration_seconds_sum{{model=\"mlp\"}} {(Fast * 0.005) + (Slow * 0.8)}")
                .AppendLine(CultureInfo.InvariantCulture, $"serval_inference_in_flight_requests {InFlight}")
                .AppendLine("serval_inference_queue_depth 0")
                .ToString();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(text, Encoding.UTF8, "text/plain") });
        }
    }

    private sealed class ListCache<T>(params T[] items) : ICacheReader<T>
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        public bool HasSynced => true;

        public T? Get(string? ns, string name) => items.FirstOrDefault(i => i.Metadata.NamespaceProperty == ns && i.Metadata.Name == name);

        public IReadOnlyList<T> List(string? ns = null, LabelSelector? selector = null) =>
            [.. items.Where(i => (ns is null || i.Metadata.NamespaceProperty == ns) && (selector is null || selector.Matches(i.Metadata.Labels)))];

        public IReadOnlyList<T> ByIndex(string indexName, string value) => indexName switch
        {
            CacheIndexes.Label => [.. items.Where(i => i.Metadata.Labels?.Any(l => CacheIndexes.LabelValue(l.Key, l.Value) == value) == true)],
            CacheIndexes.Namespace => [.. items.Where(i => (i.Metadata.NamespaceProperty ?? string.Empty) == value)],
            _ => throw new NotSupportedException($"the test cache keeps no index '{indexName}'"),
        };
    }
}
