using System.Diagnostics;
using k8s;
using Serval.LocalCluster.Faults;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Server;

/// <summary>Programmed faults: status codes for chosen verbs and resources, a share of requests, latency, limited hits.</summary>
[TestFixture]
public sealed class FaultInjectionTests
{
    private EmbeddedApiServer _server = null!;
    private Kubernetes _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { FaultSeed = 7 });
        _client = new Kubernetes(_server.ClientConfiguration());
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task StatusRule_AnswersThatStatusForItsVerbAndResourceOnly()
    {
        _server.Faults.Add(new FaultRule { Verb = "create", Resource = "configmaps", StatusCode = 500 });

        var (code, status) = await ApiErrors.CatchAsync(() => _client.CoreV1.CreateNamespacedConfigMapAsync(Workloads.ConfigMap("x"), "default"));
        var secrets = await _client.CoreV1.ListNamespacedSecretAsync("default");

        Assert.That(code, Is.EqualTo(500));
        Assert.That(status.Reason(), Is.EqualTo("InternalError"));
        Assert.That(secrets.Items, Is.Empty);
    }

    [Test]
    public async Task TooManyRequestsRule_SendsRetryAfter()
    {
        _server.Faults.Add(new FaultRule { Verb = "list", StatusCode = 429, RetryAfterSeconds = 3 });
        using var http = new HttpClient { BaseAddress = _server.Url };

        using var response = await http.GetAsync("/api/v1/namespaces/default/configmaps");

        Assert.That((int)response.StatusCode, Is.EqualTo(429));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public async Task RuleWithTimes_RetiresAfterThatManyHits()
    {
        _server.Faults.Add(new FaultRule { Verb = "get", Resource = "namespaces", StatusCode = 409, Times = 2 });

        var codes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            try
            {
                await _client.CoreV1.ReadNamespaceAsync("default");
                codes.Add(200);
            }
            catch (k8s.Autorest.HttpOperationException e)
            {
                codes.Add((int)e.Response.StatusCode);
            }
        }

        Assert.That(codes, Is.EqualTo(new[] { 409, 409, 200 }));
    }

    [Test]
    public async Task PercentRule_FailsRoughlyThatShareOfRequests()
    {
        _server.Faults.Add(new FaultRule { Verb = "get", Resource = "namespaces", StatusCode = 500, Percent = 30 });

        var failures = 0;
        for (var i = 0; i < 200; i++)
        {
            try
            {
                await _client.CoreV1.ReadNamespaceAsync("default");
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                failures++;
            }
        }

        Assert.That(failures, Is.InRange(40, 80));
    }

    [Test]
    public async Task LatencyRule_DelaysTheAnswer()
    {
        using var rule = _server.Faults.Add(new FaultRule { Verb = "get", Resource = "namespaces", Latency = TimeSpan.FromMilliseconds(300) });
        var watch = Stopwatch.StartNew();

        await _client.CoreV1.ReadNamespaceAsync("default");

        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290)));
    }

    [Test]
    public async Task DisposingARule_RemovesIt()
    {
        var rule = _server.Faults.Add(new FaultRule { StatusCode = 500 });
        rule.Dispose();

        var ns = await _client.CoreV1.ReadNamespaceAsync("default");

        Assert.That(ns.Metadata.Name, Is.EqualTo("default"));
    }

    [Test]
    public void Add_PercentOutOfRange_NamesTheField()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _server.Faults.Add(new FaultRule { Percent = 150 }));

        Assert.That(error!.Message, Does.Contain("FaultRule.Percent").And.Contain("150"));
    }
}
