using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Serval.Worker.Cli;

namespace Serval.Worker.Tests.Support;

/// <summary>A worker started in-process on a free loopback port, serving a model written to a temp folder.</summary>
internal sealed class TestWorker : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private TestWorker(TempDirectory directory, WorkerHost host, LogCapture logs)
    {
        _directory = directory;
        Host = host;
        Logs = logs;
        Client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WorkerHost Host { get; }

    public HttpClient Client { get; }

    public LogCapture Logs { get; }

    public string Name => Host.ModelName;

    public static async Task<TestWorker> StartAsync(byte[] model, string name = "model", Func<WorkerOptions, WorkerOptions>? configure = null, bool waitReady = true)
    {
        var directory = new TempDirectory();
        var path = directory.Write(name + ".onnx", model);
        var options = new WorkerOptions { Model = path, Host = "127.0.0.1", Port = 0, IntraOpThreads = 1 };
        options = configure?.Invoke(options) ?? options;
        var logs = new LogCapture();
        var host = await WorkerHost.StartAsync(options, logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(logs);
        });
        var worker = new TestWorker(directory, host, logs);
        if (waitReady)
        {
            await host.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        }

        return worker;
    }

    public Task<HttpResponseMessage> InferAsync(string json, string? model = null) =>
        Client.PostAsync($"v2/models/{model ?? Name}/infer", new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<JsonObject> InferJsonAsync(string json)
    {
        using var response = await InferAsync(json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Posts a binary-extension request: the JSON header, then the raw bytes.</summary>
    public Task<HttpResponseMessage> InferBinaryAsync(string json, byte[] binary)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var body = new byte[header.Length + binary.Length];
        header.CopyTo(body, 0);
        binary.CopyTo(body, header.Length);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Client.PostAsync($"v2/models/{Name}/infer", content);
    }

    public async Task<string> MetricsAsync() => await Client.GetStringAsync("metrics");

    /// <summary>The value of one sample line in /metrics, e.g. <c>serval_inference_requests_total{model="m",outcome="success"}</c>.</summary>
    public async Task<double> MetricAsync(string series)
    {
        foreach (var line in (await MetricsAsync()).Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new AssertionException($"no series {series} in /metrics");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        _directory.Dispose();
    }
}
