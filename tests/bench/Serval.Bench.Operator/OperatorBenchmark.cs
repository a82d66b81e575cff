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
/// child process (`serval-operator run --kubeconfig ...`, with the environment its image sets), so its RSS is its own.
/// Measures the seconds until every service has its children and a current observedGeneration, the write calls per
/// service, the write calls of a full no-op resync (a second operator process started over the converged state), and
/// the operator's RSS; then the first run again without the image's environment, on a second server, for comparison.
/// Prints a table and `BENCH operator reconcile_1000 ...`.
/// </summary>
internal static class OperatorBenchmark
{
    private const int Services = 1_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : Services;
        ThreadPool.SetMinThreads(32, 32);
        var image = ImageEnvironment.Read();
        var directory = Directory.CreateTempSubdirectory("serval-bench-operator-").FullName;
        try
        {
            // As the image runs it: the first run converges an empty cluster, then a second operator resyncs it.
            await using var server = await StartServerAsync().ConfigureAwait(false);
            var kubeconfig = Path.Combine(directory, "kubeconfig");
            server.WriteKubeconfig(kubeconfig);
            var first = await ConvergeAsync(server, kubeconfig, count, image).ConfigureAwait(false);

            // Second run: a fresh operator lists everything and reconciles every service; nothing changed, so nothing is written.
            var writesBeforeResync = server.Requests.CountWrites();
            double resyncSeconds, resyncRss;
            using (var second = OperatorProcess.Start(kubeconfig, FreePort(), image))
            {
                var resyncClock = Stopwatch.StartNew();
                await second.WaitReadyAsync(Deadline).ConfigureAwait(false);
                await second.WaitIdleAsync(count, Deadline).ConfigureAwait(false);
                resyncSeconds = resyncClock.Elapsed.TotalSeconds;
                resyncRss = second.RssMiB();
                await second.StopAsync().ConfigureAwait(false);
            }

            var noopWrites = server.Requests.CountWrites() - writesBeforeResync;
            var resyncWrites = server.Requests.Snapshot().Where(r => r.IsWrite).Skip(writesBeforeResync)
                .GroupBy(r => $"{r.Verb} {r.Resource}{(r.Subresource is { Length: > 0 } sub ? "/" + sub : string.Empty)}")
                .Select(g => $"{g.Key} x{g.Count()}").ToList();

            // The same first run with the image's environment left out (`dotnet serval-operator.dll` as a shell runs it),
            // on a fresh server in this now warm process: its seconds are not comparable with the first run's.
            await using var plainServer = await StartServerAsync().ConfigureAwait(false);
            var plainKubeconfig = Path.Combine(directory, "kubeconfig-plain");
            plainServer.WriteKubeconfig(plainKubeconfig);
            var plain = await ConvergeAsync(plainServer, plainKubeconfig, count, new Dictionary<string, string>()).ConfigureAwait(false);

            Console.WriteLine();
            Console.WriteLine($"operator environment from operator/Dockerfile: {string.Join(' ', image.Select(e => $"{e.Key}={e.Value}"))}");
            Console.WriteLine(resyncWrites.Count == 0 ? "no-op resync: no writes" : $"no-op resync wrote: {string.Join(", ", resyncWrites)}");
            Console.WriteLine($"{"measure",-52} {"value",10} {"target",10} {"ratio_vs_target",16}");
            Row("seconds to converge (" + count + " services)", first.Seconds, 15);
            Row("write calls per service", first.WritesPerService, 8);
            Row("write calls in a full no-op resync", noopWrites, 0);
            Row("operator RSS when the queue drained, MiB", first.DrainedRss, 150);
            Row("operator RSS 10 s after converging, MiB", first.Rss, 150);
            Row("operator peak RSS, MiB", first.PeakRss, 150);
            Row("full resync seconds (start to idle)", resyncSeconds, double.NaN);
            Row("resync operator RSS, MiB", resyncRss, 150);
            Row("without the image's environment: seconds", plain.Seconds, double.NaN);
            Row("without the image's environment: RSS drained, MiB", plain.DrainedRss, 150);
            Row("without the image's environment: RSS 10 s after, MiB", plain.Rss, 150);
            Row("without the image's environment: peak RSS, MiB", plain.PeakRss, 150);
            Console.WriteLine();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"BENCH operator reconcile_{count} seconds={first.Seconds:F2} writes_per_isvc={first.WritesPerService:F2} noop_writes={noopWrites} rss_mib={first.Rss:F1} drained_rss_mib={first.DrainedRss:F1} peak_rss_mib={first.PeakRss:F1} resync_seconds={resyncSeconds:F2} resync_rss_mib={resyncRss:F1} plain_seconds={plain.Seconds:F2} plain_rss_mib={plain.Rss:F1} plain_drained_rss_mib={plain.DrainedRss:F1} plain_peak_rss_mib={plain.PeakRss:F1}"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<EmbeddedApiServer> StartServerAsync()
    {
        var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
        {
            RequestLogCapacity = 200_000,
            WatchWindow = 20_000,
            WatchQueueCapacity = 200_000,
        }).ConfigureAwait(false);
        server.ApplyManifests(InferenceServiceCrd.ToYaml(), "bench");
        return server;
    }

    /// <summary>An operator starts on an empty cluster, then all services arrive at once; measured until every one is reconciled.</summary>
    private static async Task<Convergence> ConvergeAsync(EmbeddedApiServer server, string kubeconfig, int count, IReadOnlyDictionary<string, string> environment)
    {
        using var process = OperatorProcess.Start(kubeconfig, FreePort(), environment);
        await process.WaitReadyAsync(Deadline).ConfigureAwait(false);
        var writesBefore = server.Requests.CountWrites();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            server.Create(Service($"isvc-{i:D4}"), "bench");
        }

        await WaitConvergedAsync(server, count, clock).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        await process.WaitIdleAsync(count, Deadline).ConfigureAwait(false);
        var drained = process.RssMiB();

        // Then idle, as an operator spends most of its life: what it holds once the burst is over.
        await Task.Delay(Settle).ConfigureAwait(false);
        var settled = process.RssMiB();
        var peak = process.PeakRssMiB();
        var writes = server.Requests.CountWrites() - writesBefore;
        await process.StopAsync().ConfigureAwait(false);
        return new Convergence(seconds, (double)writes / count, drained, settled, peak);
    }

    /// <param name="Seconds">From the first create until every service has its children and a current observedGeneration.</param>
    /// <param name="WritesPerService">Write calls at the API server in that time, per service.</param>
    /// <param name="DrainedRss">RSS the moment the work queue first drained.</param>
    /// <param name="Rss">RSS <see cref="Settle"/> later.</param>
    /// <param name="PeakRss">The most RSS the operator held (VmHWM).</param>
    private sealed record Convergence(double Seconds, double WritesPerService, double DrainedRss, double Rss, double PeakRss);

    private static void Row(string name, double value, double target) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-52} {value,10:F2} {(double.IsNaN(target) ? "-" : target.ToString("F0", CultureInfo.InvariantCulture)),10} {(double.IsNaN(target) || target == 0 ? "-" : (value / target).ToString("F2", CultureInfo.InvariantCulture)),16}"));

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
