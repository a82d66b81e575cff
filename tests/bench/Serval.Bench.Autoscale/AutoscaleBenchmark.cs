using System.Globalization;
using System.Text;
using Serval.Api.V1Alpha1;
using Serval.Operator.Autoscaling;

namespace Serval.Bench.Autoscale;

/// <summary>
/// Measures a real worker, then replays four traces against the HPA on CPU, Knative's KPA, Serval (scaling directly, and
/// through its HPA alone), the ideal reactive policy and an oracle in the same simulated cluster, and prints the
/// figures, the ratios and one BENCH line per case.
/// </summary>
internal static class AutoscaleBenchmark
{
    private const string Model = "mlp-slow";
    private const double PodStartSeconds = 10;
    private const int Seed = 2019;

    public static async Task<int> RunAsync(string[] args)
    {
        var root = RepoRoot();
        var profile = await WorkerMeasurement.MeasureAsync(root, Model, TimeSpan.FromSeconds(4), 64).ConfigureAwait(false);
        var sloMs = Math.Max(100, Math.Ceiling(profile.ServiceSeconds * 3000 / 10) * 10);
        var settings = new SimSettings(profile, PodStartSeconds, sloMs / 1000, 256, 1, 60, Seed);
        // scaleDownDelaySeconds 0, as Knative's scale-down-delay defaults to: both then damp scale-down with the 60 s stable
        // window alone, and the comparison is of the decisions. (Serval's own default, 300 s, trades replica-seconds
        // for fewer scale-downs.)
        var servalSpec = new AutoscalePolicy(1, 60, AutoscalingMetric.Concurrency, profile.Slots, sloMs, TimeSpan.Zero);
        var output = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            output.AppendLine(line);
        }

        Say(F($"replica: {profile.Slots} slots x {profile.ServiceSeconds * 1000:0.0} ms = {profile.Capacity:0} rps at 100 % busy; pod start {PodStartSeconds:0} s; SLO p95 {sloMs:0} ms; serval spec: metric Concurrency, target {profile.Slots}, latencySloMilliseconds {sloMs:0}, scaleDownDelaySeconds {servalSpec.ScaleDownDelay.TotalSeconds:0}"));
        var resultsDir = Path.Combine(root, "tests", "bench", "results");
        Directory.CreateDirectory(resultsDir);
        var ratios = new List<string>();
        foreach (var trace in Trace.All(profile.Capacity, Seed))
        {
            Say("");
            Say($"trace {trace.Name}: {trace.Description}");
            Say(F($"{"policy",-10} {"slo_violation_%",16} {"replica_seconds",16} {"scale_actions",14} {"recovery_s",11}"));
            var initial = Math.Max(1, (int)Math.Ceiling(trace.Rates[0] / (profile.Capacity * 0.7)));
            IScalingPolicy[] policies = [new HpaCpuPolicy(0.7), new KpaPolicy(profile.Slots), new ServalPolicy(servalSpec), new ServalPolicy(servalSpec, direct: false), new ReactivePolicy(0.8), new OraclePolicy(0.8)];
            var results = policies.AsParallel().AsOrdered().WithDegreeOfParallelism(2).Select(p =>
            {
                var sim = new Simulation(settings, trace, initial);
                sim.Run(p);
                return SimResult.From(p.Name, sim);
            }).ToList();
            foreach (var r in results)
            {
                Say(F($"{r.Policy,-10} {r.SloViolationPercent,16:0.000} {r.ReplicaSeconds,16:0} {r.ScaleActions,14} {r.RecoverySeconds,11}"));
            }

            foreach (var r in results)
            {
                Say(F($"BENCH autoscale {trace.Name} policy={r.Policy} slo_violation_pct={r.SloViolationPercent:0.####} replica_seconds={r.ReplicaSeconds:0} scale_actions={r.ScaleActions} recovery_s={r.RecoverySeconds}"));
            }

            ratios.Add(Ratios(trace.Name, results));
            Charts.Save(Path.Combine(resultsDir, $"autoscale-{trace.Name}.png"), trace, results, settings.SloSeconds);
        }

        Say("");
        Say("serval relative to the others (violations: lower is better; target <= 0.5x hpa, <= 0.8x kpa; replica-seconds: target <= 1.05x);");
        Say("reactive/kpa: the violations of the ideal reactive policy over KPA's, the least any policy that reacts to load can reach");
        Say(F($"{"trace",-9} {"viol/hpa",9} {"viol/kpa",9} {"viol/reactive",14} {"reactive/kpa",13} {"rs/hpa",7} {"rs/kpa",7} {"rs/oracle",10}"));
        foreach (var line in ratios)
        {
            Say(line);
        }

        await File.WriteAllTextAsync(Path.Combine(resultsDir, "autoscale.txt"), output.ToString()).ConfigureAwait(false);
        return 0;
    }

    private static string Ratios(string trace, List<SimResult> results)
    {
        var by = results.ToDictionary(r => r.Policy);
        var s = by["serval"];
        string V(SimResult one, string other) => by[other].SloViolationPercent == 0
            ? (one.SloViolationPercent == 0 ? "0/0" : "inf")
            : F($"{one.SloViolationPercent / by[other].SloViolationPercent:0.00}");
        string R(string other) => F($"{s.ReplicaSeconds / by[other].ReplicaSeconds:0.00}");
        return F($"{trace,-9} {V(s, "hpa"),9} {V(s, "kpa"),9} {V(s, "reactive"),14} {V(by["reactive"], "kpa"),13} {R("hpa"),7} {R("kpa"),7} {R("oracle"),10}");
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Operator.sln not found above " + AppContext.BaseDirectory);
    }
}
