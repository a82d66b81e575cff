using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Serval.Worker;
using Serval.Worker.Cli;

namespace Serval.Bench.Autoscale;

/// <summary>
/// Measures a real worker in-process: the lone-request latency (sequential requests) and the saturated
/// throughput (many concurrent clients), which give the simulation's service time and slots per replica.
/// </summary>
internal static class WorkerMeasurement
{
    public static async Task<WorkerProfile> MeasureAsync(string repoRoot, string model, TimeSpan saturation, int clients)
    {
        var modelPath = Path.Combine(repoRoot, "samples", "models", model + ".onnx");
        var body = await File.ReadAllTextAsync(Path.Combine(repoRoot, "samples", "requests", model + ".json")).ConfigureAwait(false);
        var loading = Stopwatch.StartNew();
        await using var worker = await WorkerHost.StartAsync(
            new WorkerOptions { Model = modelPath, Host = "127.0.0.1", Port = 0 },
            logging => logging.SetMinimumLevel(LogLevel.Warning)).ConfigureAwait(false);
        await worker.Ready.ConfigureAwait(false);
        var loadSeconds = loading.Elapsed.TotalSeconds;
        using var http = new HttpClient { BaseAddress = worker.BaseAddress };
        var path = new Uri($"v2/models/{worker.ModelName}/infer", UriKind.Relative);

        async Task<double> OneAsync()
        {
            var started = Stopwatch.GetTimestamp();
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(path, content).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            return Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        for (var i = 0; i < 20; i++)
        {
            await OneAsync().ConfigureAwait(false);
        }

        var lone = new List<double>();
        for (var i = 0; i < 60; i++)
        {
            lone.Add(await OneAsync().ConfigureAwait(false));
        }

        lone.Sort();
        var service = lone[lone.Count / 2];

        long done = 0;
        var clock = Stopwatch.StartNew();
        var until = saturation;
        var tasks = Enumerable.Range(0, clients).Select(async _ =>
        {
            while (clock.Elapsed < until)
            {
                await OneAsync().ConfigureAwait(false);
                Interlocked.Increment(ref done);
            }
        }).ToArray();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var rps = done / clock.Elapsed.TotalSeconds;
        var slots = Math.Max(1, (int)Math.Round(rps * service));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"worker {model}: lone request {service * 1000:0.0} ms (median of {lone.Count}), {rps:0} rps with {clients} clients over {clock.Elapsed.TotalSeconds:0.0} s -> {slots} slots per replica; model load {loadSeconds:0.00} s"));
        return new WorkerProfile(model, service, slots, rps, loadSeconds);
    }
}
