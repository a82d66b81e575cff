using System.Text;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Operator.Metrics;
using Serval.Worker;
using Serval.Worker.Cli;

namespace Serval.Operator.Tests.Metrics;

public sealed class WorkerScraperTests
{
    private static string RepoFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                return Path.Combine([dir.FullName, .. parts]);
            }
        }

        throw new InvalidOperationException("Operator.sln not found");
    }

    [Test]
    public async Task ScrapeAsync_ReadsARealWorker()
    {
        await using var worker = await WorkerHost.StartAsync(new WorkerOptions { Model = RepoFile("samples", "models", "mlp.onnx"), Host = "127.0.0.1", Port = 0 });
        await worker.Ready;
        using var http = new HttpClient { BaseAddress = worker.BaseAddress };
        var body = await File.ReadAllTextAsync(RepoFile("samples", "requests", "mlp.json"));
        for (var i = 0; i < 3; i++)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri($"v2/models/{worker.ModelName}/infer", UriKind.Relative), content);
            response.EnsureSuccessStatusCode();
        }

        using var scraper = new WorkerScraper(TimeSpan.FromSeconds(5), 4, TimeProvider.System, NullLogger.Instance);
        var result = await scraper.ScrapeAsync([new ScrapeTarget("worker-0", new Uri(worker.BaseAddress, "metrics"))], CancellationToken.None);

        var snapshot = result["worker-0"]!;
        Assert.That(snapshot.Succeeded, Is.EqualTo(3));
        Assert.That(snapshot.LatencyCounts[^1], Is.EqualTo(3));
        Assert.That(snapshot.LatencyBuckets[^1], Is.EqualTo(double.PositiveInfinity));
        Assert.That(snapshot.BusySeconds, Is.GreaterThan(0));
        Assert.That(snapshot.InFlight, Is.Zero);
    }

    [Test]
    public async Task ScrapeAsync_APodThatDoesNotAnswerIsMissingNotZero()
    {
        using var scraper = new WorkerScraper(TimeSpan.FromSeconds(2), 4, TimeProvider.System, NullLogger.Instance);
        // Port 1 on loopback refuses connections.
        var result = await scraper.ScrapeAsync([new ScrapeTarget("gone", new Uri("http://127.0.0.1:1/metrics"))], CancellationToken.None);

        Assert.That(result, Does.ContainKey("gone"));
        Assert.That(result["gone"], Is.Null);
    }

    [Test]
    public void TargetOf_UsesThePodIpAndThePortNamedHttp()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "worker", Ports = [new V1ContainerPort { Name = "grpc", ContainerPort = 9000 }, new V1ContainerPort { Name = "http", ContainerPort = 41234 }] }] },
            Status = new V1PodStatus { PodIP = "127.0.0.1", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
        };

        Assert.That(WorkerScraper.TargetOf(pod)!.MetricsUrl, Is.EqualTo(new Uri("http://127.0.0.1:41234/metrics")));
    }

    [Test]
    public void TargetOf_AnUnreadyPodIsNotRead()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Status = new V1PodStatus { PodIP = "10.0.0.1", Conditions = [new V1PodCondition { Type = "Ready", Status = "False" }] },
        };

        Assert.That(WorkerScraper.TargetOf(pod), Is.Null);
    }
}
