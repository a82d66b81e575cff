using System.Net;
using System.Text.Json.Nodes;
using Serval.Worker.Tests.Support;

namespace Serval.Worker.Tests.Http;

public sealed class BackpressureAndLifecycleTests
{
    private static readonly string Request = File.ReadAllText(RepositoryPaths.Combine("samples", "requests", "mlp-slow.json"));

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(10);
        }
    }

    [Test]
    public async Task FullQueue_Answers429WithRetryAfter_ThenRecovers()
    {
        // A longer chain (a few hundred milliseconds a call) so that all callers arrive while the first runs.
        await using var worker = await TestWorker.StartAsync(
            SampleModels.SampleModels.MlpSlow(chainLength: 96), "slow", o => o with { MaxBatchSize = 1, MaxQueueLength = 2 });

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => worker.InferAsync(Request)));
        var rejected = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        var error = rejected.Length > 0 ? (string?)JsonNode.Parse(await rejected[0].Content.ReadAsStringAsync())!["error"] : null;
        using var later = await worker.InferAsync(Request);
        var rejectedMetric = await worker.MetricAsync("""serval_inference_requests_total{model="slow",outcome="rejected"}""");

        Assert.Multiple(() =>
        {
            Assert.That(rejected, Is.Not.Empty, "12 callers against one running and two queued");
            Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(rejected.Select(r => r.Headers.RetryAfter?.Delta), Is.All.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(error, Is.EqualTo("model 'slow' has 2 requests queued, the most it takes; retry later"));
            Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the worker recovers once the queue drains");
            Assert.That(rejectedMetric, Is.EqualTo(rejected.Length));
        });
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Test]
    public async Task RequestTimeout_Answers503NamingTheLimit()
    {
        await using var worker = await TestWorker.StartAsync(SampleModels.SampleModels.MlpSlow(), "slow", o => o with { RequestTimeoutMilliseconds = 5 });

        using var response = await worker.InferAsync(Request);
        var error = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"];

        Assert.That((response.StatusCode, error), Is.EqualTo((HttpStatusCode.ServiceUnavailable, "the request did not complete within 5 ms (--request-timeout-ms)")));
    }

    [Test]
    public async Task Stop_FinishesTheRequestsInFlightAndQueued()
    {
        // Hundreds of milliseconds a call and one call at a time: of eight requests sent together,
        // one runs while the others wait in the queue for a second or more.
        await using var worker = await TestWorker.StartAsync(SampleModels.SampleModels.MlpSlow(chainLength: 160), "slow", o => o with { MaxBatchSize = 1 });
        var requests = Enumerable.Range(0, 8).Select(_ => worker.InferAsync(Request)).ToArray();

        // All eight must have reached the server before the stop: one that arrives after it begins is refused with
        // 503, as it should be, and is not what this test is about.
        var inFlight = await PollAsync(() => worker.MetricAsync("""serval_inference_in_flight_requests{model="slow"}"""), v => v >= 8);
        var depth = await PollAsync(() => worker.MetricAsync("""serval_inference_queue_depth{model="slow"}"""), v => v >= 1);

        await worker.Host.StopAsync();
        var responses = await Task.WhenAll(requests);

        Assert.Multiple(() =>
        {
            Assert.That(inFlight, Is.EqualTo(8), "every request had reached the server when the stop began");
            Assert.That(depth, Is.GreaterThanOrEqualTo(1), "requests were queued when the stop began");
            Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(worker.Host.Completion.IsCompletedSuccessfully, Is.True);
        });
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Test]
    public async Task Metrics_CountOutcomesRowsAndLatency()
    {
        await using var worker = await TestWorker.StartAsync(SampleModels.SampleModels.Mlp(), "mlp");
        using (await worker.InferAsync(File.ReadAllText(RepositoryPaths.Combine("samples", "requests", "mlp.json"))))
        using (await worker.InferAsync("""{"inputs":[]}"""))
        {
        }

        var metrics = await worker.MetricsAsync();
        double Value(string series) => double.Parse(
            metrics.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal))[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Multiple(() =>
        {
            Assert.That(Value("""serval_inference_requests_total{model="mlp",outcome="success"}"""), Is.EqualTo(1));
            Assert.That(Value("""serval_inference_requests_total{model="mlp",outcome="client_error"}"""), Is.EqualTo(1));
            Assert.That(Value("""serval_inference_requests_total{model="mlp",outcome="server_error"}"""), Is.Zero);
            Assert.That(Value("""serval_inference_request_duration_seconds_count{model="mlp"}"""), Is.EqualTo(1));
            Assert.That(Value("""serval_inference_request_duration_seconds_bucket{model="mlp",le="0.001"}"""), Is.LessThanOrEqualTo(1));
            Assert.That(Value("""serval_inference_batch_size_sum{model="mlp"}"""), Is.EqualTo(2), "the two rows of the one success; warm-up is not counted");
            Assert.That(Value("""serval_inference_in_flight_requests{model="mlp"}"""), Is.Zero);
            Assert.That(Value("""serval_inference_queue_depth{model="mlp"}"""), Is.Zero);
            Assert.That(Value("""serval_inference_model_load_seconds{model="mlp"}"""), Is.GreaterThan(0));
            Assert.That(Value("""nv_inference_request_success{model="mlp",version="1"}"""), Is.EqualTo(1));
            Assert.That(Value("""nv_inference_request_failure{model="mlp",version="1"}"""), Is.EqualTo(1));
            Assert.That(Value("""nv_inference_count{model="mlp",version="1"}"""), Is.EqualTo(2));
            Assert.That(Value("""nv_inference_exec_count{model="mlp",version="1"}"""), Is.EqualTo(1));
            Assert.That(Value("""nv_inference_queue_duration_us{model="mlp",version="1"}"""), Is.GreaterThan(0));
            Assert.That(Value("""nv_inference_compute_infer_duration_us{model="mlp",version="1"}"""), Is.GreaterThan(0));
        });
    }
}
