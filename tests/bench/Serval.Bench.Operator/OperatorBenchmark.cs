using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Serval.Api.Crd;
using Serval.LocalCluster;

namespace Serval.Bench.Operator;

/// <summary>
/// Creates 1,000 InferenceServices at once on the embedded API server (in this process) and runs the operator as a
/// child process (`serval-operator run --kubeconfig ...`), so its RSS is its own. Measures the seconds until every
/// service has its children and a current observedGeneration, the write calls per service, the write calls of a
/// full no-op resync (a second operator process started over the converged state), and the operator's RSS.
/// Prints a table and `BENCH operator reconcile_1000 ...`.
/// </summary>
internal static class OperatorBenchmark
{
    private const int Services = 1_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : Services;
        ThreadPool.SetMinThreads(32, 32);
        var directory = Directory.CreateTempSubdirectory("serval-bench-operator-").FullName;
        try
        {
            await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
            {
                RequestLogCapacity = 200_000,
                WatchWindow = 20_000,
                WatchQueueCapacity = 200_000,
            }).ConfigureAwait(false);
            server.ApplyManifests(InferenceServiceCrd.ToYaml(), "bench");
            var kubeconfig = Path.Combine(directory, "kubeconfig");
            server.WriteKubeconfig(kubeconfig);

            // First run: the operator starts on an empty cluster, then all services arrive at once.
            using var first = OperatorProcess.Start(kubeconfig, FreePort());
            await first.WaitReadyAsync(Deadline).ConfigureAwait(false);
            var writesBefore = server.Requests.CountWrites();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                server.Create(Service($"isvc-{i:D4}"), "bench");
            }

            await WaitConvergedAsync(server, count, clock).ConfigureAwait(false);
            var seconds = clock.Elapsed.TotalSeconds;
            await first.WaitIdleAsync(count, Deadline).ConfigureAwait(false);
            var rss = first.RssMiB();
            var peak = first.PeakRssMiB();
            var writes = server.Requests.CountWrites() - writesBefore;
            await first.StopAsync().ConfigureAwait(false);

            // Second run: a fresh operator lists everything and reconciles every service; nothing changed, so nothing is written.
            var writesBeforeResync = server.Requests.CountWrites();
            using var second = OperatorProcess.Start(kubeconfig, FreePort());
            var resyncClock = Stopwatch.StartNew();
            await second.WaitReadyAsync(Deadline).ConfigureAwait(false);
            await second.WaitIdleAsync(count, Deadline).ConfigureAwait(false);
            var resyncSeconds = resyncClock.Elapsed.TotalSeconds;
            var noopWrites = server.Requests.CountWrites() - writesBeforeResync;
            var resyncWrites = server.Requests.Snapshot().Where(r => r.IsWrite).Skip(writesBeforeResync)
                .GroupBy(r => $"{r.Verb} {r.Resource}{(r.Subresource is { Length: > 0 } sub ? "/" + sub : string.Empty)}")
                .Select(g => $"{g.Key} x{g.Count()}").ToList();
            var resyncRss = second.RssMiB();
            await second.StopAsync().ConfigureAwait(false);

            var perService = (double)writes / count;
            Console.WriteLine();
            Console.WriteLine(resyncWrites.Count == 0 ? "no-op resync: no writes" : $"no-op resync wrote: {string.Join(", ", resyncWrites)}");
            Console.WriteLine($"{"measure",-40} {"value",12} {"target",10} {"ratio_vs_target",16}");
            Row("seconds to converge (" + count + " services)", seconds, 15);
            Row("write calls per service", perService, 8);
            Row("write calls in a full no-op resync", noopWrites, 0);
            Row("operator RSS after converging, MiB", rss, 150);
            Row("operator peak RSS, MiB", peak, 150);
            Row("full resync seconds (start to idle)", resyncSeconds, double.NaN);
            Row("resync operator RSS, MiB", resyncRss, 150);
            Console.WriteLine();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"BENCH operator reconcile_{count} seconds={seconds:F2} writes_per_isvc={perService:F2} noop_writes={noopWrites} rss_mib={rss:F1} peak_rss_mib={peak:F1} resync_seconds={resyncSeconds:F2}"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Row(string name, double value, double target) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-40} {value,12:F2} {(double.IsNaN(target) ? "-" : target.ToString("F0", CultureInfo.InvariantCulture)),10} {(double.IsNaN(target) || target == 0 ? "-" : (value / target).ToString("F2", CultureInfo.InvariantCulture)),16}"));

    private static async Task WaitConvergedAsync(EmbeddedApiServer server, int count, Stopwatch clock)
    {
        while (true)
        {
            var deployments = server.List("apps/v1", "Deployment", "default").Count;
            var hpas = server.List("autoscaling/v2", "HorizontalPodAutoscaler", "default").Count;
            var pdbs = server.List("policy/v1", "PodDisruptionBudget", "default").Count;
            var services = server.List("v1", "Service", "default").Count;
            var observed = server.List("serving.serval.dev/v1alpha1", "InferenceService", "default")
                .Count(s => (long?)s["status"]?["observedGeneration"] == (long?)s["metadata"]?["generation"]
                    && s["status"]?["stableRevision"] is not null);
            if (deployments >= count && hpas >= count && pdbs >= count && services >= 2 * count && observed == count)
            {
                return;
            }

            if (clock.Elapsed > Deadline)
            {
                throw new TimeoutException(
                    $"not converged after {Deadline}: deployments {deployments}, hpas {hpas}, pdbs {pdbs}, services {services}, observed {observed} of {count}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private static JsonObject Service(string name) => new()
    {
        ["apiVersion"] = "serving.serval.dev/v1alpha1",
        ["kind"] = "InferenceService",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject { ["model"] = new JsonObject { ["uri"] = "configmap://models/mlp.onnx" } },
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
