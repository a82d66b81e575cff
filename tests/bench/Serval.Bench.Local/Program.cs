using System.Diagnostics;
using System.Globalization;
using Serval.Bench.Local;
using Serval.Operator.Local;

// bench-local: apply -> first successful inference of the quickstart model in local mode, median of 5.
// "cold": a fresh local mode per run (what `make run` does), timed from the apply, so start-up of the local mode
// itself is reported apart. "warm": a second InferenceService applied to the same running local mode.
const int Runs = 5;
const double TargetSeconds = 3.0;
var root = FindRoot();
var quickstart = File.ReadAllText(Path.Combine(root, "samples/quickstart.yaml"));
var request = File.ReadAllBytes(Path.Combine(root, "samples/requests/mlp.json"));
var warmManifest = quickstart[quickstart.IndexOf("apiVersion: serving.serval.dev", StringComparison.Ordinal)..]
    .Replace("name: mlp\n", "name: mlp-warm\n", StringComparison.Ordinal);
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

var cold = new List<Milestones>();
var warm = new List<Milestones>();
var starts = new List<double>();
for (var run = 0; run < Runs; run++)
{
    var state = Directory.CreateTempSubdirectory("serval-bench-local-").FullName;
    try
    {
        var clock = Stopwatch.StartNew();
        await using var local = await LocalMode.StartAsync(new LocalModeOptions { StateDirectory = state }, CancellationToken.None);
        starts.Add(clock.Elapsed.TotalSeconds);
        cold.Add(await TimeToFirstInference.MeasureAsync(local, quickstart, "mlp", request, http));
        warm.Add(await TimeToFirstInference.MeasureAsync(local, warmManifest, "mlp-warm", request, http));
    }
    finally
    {
        Directory.Delete(state, recursive: true);
    }
}

Console.WriteLine($"local mode: apply -> first successful inference of the quickstart model (median of {Runs}, seconds since apply)");
Console.WriteLine($"local mode start-up before the apply: median {Median(starts):F2} s");
Console.WriteLine();
Console.WriteLine($"{"case",-6} {"deployment",11} {"pod",8} {"running",8} {"pod ready",10} {"isvc ready",11} {"first 200",10} {"vs 3 s target",14}");
foreach (var (name, results) in new[] { ("cold", cold), ("warm", warm) })
{
    var m = new Milestones(
        Median(results.Select(r => r.Deployment)),
        Median(results.Select(r => r.Pod)),
        Median(results.Select(r => r.PodRunning)),
        Median(results.Select(r => r.PodReady)),
        Median(results.Select(r => r.ServiceReady)),
        Median(results.Select(r => r.FirstInference)));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-6} {m.Deployment,11:F3} {m.Pod,8:F3} {m.PodRunning,8:F3} {m.PodReady,10:F3} {m.ServiceReady,11:F3} {m.FirstInference,10:F3} {m.FirstInference / TargetSeconds,13:F2}x"));
}

Console.WriteLine();
var coldFirst = Median(cold.Select(r => r.FirstInference));
var warmFirst = Median(warm.Select(r => r.FirstInference));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"BENCH local time_to_first_inference seconds={coldFirst:F3} ratio_vs_target={coldFirst / TargetSeconds:F2} runs={Runs} startup_seconds={Median(starts):F3}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"BENCH local time_to_first_inference_warm seconds={warmFirst:F3} ratio_vs_cold={warmFirst / coldFirst:F2} runs={Runs}"));
return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("no Operator.sln above the benchmark");
}
