using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Serval.LocalCluster;

namespace Serval.Bench.ApiServer;

/// <summary>
/// Measures the embedded API server over HTTP from the same process: creates, gets, lists, updates (raw HttpClient and
/// KubernetesClient) and watch fan-out to 100 watchers. Prints a table and one `BENCH apiserver &lt;case&gt; ...` line per case.
/// </summary>
internal static class ApiServerBenchmark
{
    private const int Objects = 20_000;
    private const int Concurrency = 16;
    private const int Watchers = 100;
    private const int WatchedChanges = 2_000;

    public static async Task<int> RunAsync(string[] args)
    {
        _ = args;

        // The server and its clients share this process: start with enough threads that ramp-up is not measured.
        ThreadPool.SetMinThreads(Concurrency * 4, Concurrency * 4);
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { RequestLogCapacity = 1_000, WatchWindow = 1_000 })
            .ConfigureAwait(false);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = server.Url };
        server.Create(Namespace("bench"));
        server.Create(Namespace("bench-typed"));
        server.Create(Namespace("bench-watch"));

        await WarmUpAsync(http).ConfigureAwait(false);
        var results = new List<Result>();
        foreach (var run in new Func<Task<Result>>[]
        {
            () => CreateAsync(http),
            () => GetAsync(http),
            () => UpdateAsync(http),
            () => ListAsync(http),
            () => TypedCreateAsync(server),
            () => WatchFanOutAsync(server, http),
        })
        {
            var result = await run().ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {result.Case}: {result.OpsPerSecond:F0} ops/s"));
            results.Add(result);
        }

        Console.WriteLine();
        Console.WriteLine($"{"case",-22} {"operations",12} {"seconds",9} {"ops/s",10}  notes");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Case,-22} {r.Operations,12} {r.Seconds,9:F2} {r.OpsPerSecond,10:F0}  {r.Notes}"));
        }

        Console.WriteLine();
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH apiserver {r.Case} ops_per_s={r.OpsPerSecond:F0}{r.Extra}"));
        }

        return 0;
    }

    /// <summary>Runs every path a few thousand times first, so the measured cases see optimised code.</summary>
    private static async Task WarmUpAsync(HttpClient http)
    {
        const int count = 3_000;
        await ParallelAsync(count, async i =>
        {
            using var created = await http.PostAsync(new Uri("/api/v1/namespaces/default/configmaps", UriKind.Relative), Json(ConfigMap($"warm-{i}", i)))
                .ConfigureAwait(false);
            Expect(created, HttpStatusCode.Created);
            using var read = await http.GetAsync(new Uri($"/api/v1/namespaces/default/configmaps/warm-{i}", UriKind.Relative)).ConfigureAwait(false);
            Expect(read, HttpStatusCode.OK);
            using var updated = await http.PutAsync(new Uri($"/api/v1/namespaces/default/configmaps/warm-{i}", UriKind.Relative), Json(ConfigMap($"warm-{i}", i + 1)))
                .ConfigureAwait(false);
            Expect(updated, HttpStatusCode.OK);
        }).ConfigureAwait(false);
    }

    private static async Task<Result> CreateAsync(HttpClient http)
    {
        var watch = Stopwatch.StartNew();
        await ParallelAsync(Objects, async i =>
        {
            using var response = await http.PostAsync(new Uri("/api/v1/namespaces/bench/configmaps", UriKind.Relative), Json(ConfigMap($"cm-{i}", i)))
                .ConfigureAwait(false);
            Expect(response, HttpStatusCode.Created);
        }).ConfigureAwait(false);
        return new Result("create", Objects, watch.Elapsed.TotalSeconds, $"raw HttpClient, {Concurrency} concurrent");
    }

    private static async Task<Result> GetAsync(HttpClient http)
    {
        var watch = Stopwatch.StartNew();
        await ParallelAsync(Objects, async i =>
        {
            using var response = await http.GetAsync(new Uri($"/api/v1/namespaces/bench/configmaps/cm-{(i * 7919) % Objects}", UriKind.Relative))
                .ConfigureAwait(false);
            Expect(response, HttpStatusCode.OK);
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        }).ConfigureAwait(false);
        return new Result("get", Objects, watch.Elapsed.TotalSeconds, $"raw HttpClient, {Concurrency} concurrent");
    }

    private static async Task<Result> UpdateAsync(HttpClient http)
    {
        var watch = Stopwatch.StartNew();
        await ParallelAsync(Objects, async i =>
        {
            var body = ConfigMap($"cm-{i}", i + 1);
            using var response = await http.PutAsync(new Uri($"/api/v1/namespaces/bench/configmaps/cm-{i}", UriKind.Relative), Json(body))
                .ConfigureAwait(false);
            Expect(response, HttpStatusCode.OK);
        }).ConfigureAwait(false);
        return new Result("update", Objects, watch.Elapsed.TotalSeconds, $"raw HttpClient PUT, {Concurrency} concurrent");
    }

    private static async Task<Result> ListAsync(HttpClient http)
    {
        const int lists = 40;
        var watch = Stopwatch.StartNew();
        long items = 0;
        for (var i = 0; i < lists; i++)
        {
            using var response = await http.GetAsync(new Uri("/api/v1/namespaces/bench/configmaps", UriKind.Relative)).ConfigureAwait(false);
            Expect(response, HttpStatusCode.OK);
            var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            items += JsonNode.Parse(body)!["items"]!.AsArray().Count;
        }

        var seconds = watch.Elapsed.TotalSeconds;
        return new Result("list", lists, seconds, $"{items / lists} objects per list, {items / seconds:F0} objects/s")
        {
            Extra = string.Create(CultureInfo.InvariantCulture, $" objects_per_list={items / lists} objects_per_s={items / seconds:F0}"),
        };
    }

    private static async Task<Result> TypedCreateAsync(EmbeddedApiServer server)
    {
        const int count = 5_000;
        using var client = new Kubernetes(server.ClientConfiguration());
        var watch = Stopwatch.StartNew();
        await ParallelAsync(count, async i =>
        {
            var cm = new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = $"typed-{i}", Labels = new Dictionary<string, string> { ["bench"] = "typed" } },
                Data = new Dictionary<string, string> { ["value"] = i.ToString(CultureInfo.InvariantCulture) },
            };
            await client.CoreV1.CreateNamespacedConfigMapAsync(cm, "bench-typed").ConfigureAwait(false);
        }).ConfigureAwait(false);
        return new Result("create_kubernetesclient", count, watch.Elapsed.TotalSeconds, $"KubernetesClient typed, {Concurrency} concurrent");
    }

    private static async Task<Result> WatchFanOutAsync(EmbeddedApiServer server, HttpClient http)
    {
        var url = server.Url;
        var from = server.ResourceVersion;
        using var watchHandler = new SocketsHttpHandler { MaxConnectionsPerServer = Watchers + 1 };
        using var watchHttp = new HttpClient(watchHandler) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var expected = (long)Watchers * WatchedChanges;
        long delivered = 0;
        var allDelivered = new TaskCompletionSource();
        var opened = new CountdownEvent(Watchers);
        var readers = new List<Task>();
        for (var w = 0; w < Watchers; w++)
        {
            readers.Add(Task.Run(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/bench-watch/configmaps?watch=true&resourceVersion={from}");
                using var response = await watchHttp.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
                Expect(response, HttpStatusCode.OK);
                opened.Signal();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token).ConfigureAwait(false));
                var seen = 0;
                while (seen < WatchedChanges && await reader.ReadLineAsync(cts.Token).ConfigureAwait(false) is { } line)
                {
                    if (line.Length > 0)
                    {
                        seen++;
                        if (Interlocked.Increment(ref delivered) == expected)
                        {
                            allDelivered.TrySetResult();
                        }
                    }
                }
            }, cts.Token));
        }

        opened.Wait(cts.Token);
        var watch = Stopwatch.StartNew();
        await ParallelAsync(WatchedChanges, async i =>
        {
            using var response = await http.PostAsync(new Uri("/api/v1/namespaces/bench-watch/configmaps", UriKind.Relative), Json(ConfigMap($"w-{i}", i)))
                .ConfigureAwait(false);
            Expect(response, HttpStatusCode.Created);
        }).ConfigureAwait(false);
        var writeSeconds = watch.Elapsed.TotalSeconds;
        try
        {
            await allDelivered.Task.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"watchers received {Interlocked.Read(ref delivered)} of {expected} events");
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await cts.CancelAsync().ConfigureAwait(false);
        opened.Dispose();
        return new Result("watch_fanout", expected, seconds,
            string.Create(CultureInfo.InvariantCulture, $"{Watchers} watchers x {WatchedChanges} changes; writes took {writeSeconds:F2}s"))
        {
            Extra = string.Create(CultureInfo.InvariantCulture, $" watchers={Watchers} changes={WatchedChanges} events_per_s={expected / seconds:F0}"),
        };
    }

    private static async Task ParallelAsync(int count, Func<int, Task> body)
    {
        var next = -1;
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await body(i).ConfigureAwait(false);
            }
        }));
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private static void Expect(HttpResponseMessage response, HttpStatusCode code)
    {
        if (response.StatusCode != code)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)code}");
        }
    }

    private static JsonObject Namespace(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = name },
    };

    private static JsonObject ConfigMap(string name, int value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["bench"] = "apiserver", ["shard"] = (value % 16).ToString(CultureInfo.InvariantCulture) } },
        ["data"] = new JsonObject { ["value"] = value.ToString(CultureInfo.InvariantCulture), ["model"] = "mlp", ["uri"] = "file:///models/mlp.onnx" },
    };

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private sealed record Result(string Case, long Operations, double Seconds, string Notes)
    {
        public double OpsPerSecond => Operations / Seconds;

        public string Extra { get; init; } = string.Empty;
    }
}
