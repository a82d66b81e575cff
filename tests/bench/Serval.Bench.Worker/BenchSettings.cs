using System.Globalization;

namespace Serval.Bench.Worker;

/// <summary>
/// Command line: <c>[--seconds N] [--warm-up N] [--rounds N] [--only overhead|batching|resnet18] [--no-results] [--worker-env KEY=VALUE]... [--compare-env KEY=VALUE]...</c>.
/// <c>--no-results</c> leaves tests/bench/RESULTS.md and the plot alone (for trial runs); <c>--worker-env</c> sets an
/// environment variable for the serval-worker processes only (runtime knobs such as DOTNET_gcServer, for experiments);
/// <c>--compare-env</c> adds, in (a), one more worker with those variables, measured in the same rounds as the others.
/// </summary>
internal sealed record BenchSettings(TimeSpan WarmUp, TimeSpan Duration, string? Only, bool WriteResults)
{
    /// <summary>Alternating rounds the measured time of compared targets is split into.</summary>
    public int Rounds { get; init; } = 5;

    /// <summary>Variables for one more serval-worker in (a), measured beside the others as <c>worker_env_c*</c>.</summary>
    public IReadOnlyDictionary<string, string> CompareEnvironment { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> WorkerEnvironment { get; init; } = new Dictionary<string, string>();

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6), null, true);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            settings = args[i] switch
            {
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(Seconds("--seconds", Value())) },
                "--warm-up" => settings with { WarmUp = TimeSpan.FromSeconds(Seconds("--warm-up", Value())) },
                "--only" => settings with { Only = Value() },
                "--rounds" => settings with { Rounds = Count("--rounds", Value()) },
                "--no-results" => settings with { WriteResults = false },
                "--worker-env" => settings with { WorkerEnvironment = WithVariable(settings.WorkerEnvironment, Value()) },
                "--compare-env" => settings with { CompareEnvironment = WithVariable(settings.CompareEnvironment, Value()) },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'; use --seconds N, --warm-up N, --rounds N, --only overhead|batching|resnet18, --no-results, --worker-env KEY=VALUE, --compare-env KEY=VALUE"),
            };
        }

        return settings;
    }

    private static Dictionary<string, string> WithVariable(IReadOnlyDictionary<string, string> variables, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"--worker-env takes KEY=VALUE, not '{assignment}'");
        }

        return new Dictionary<string, string>(variables) { [assignment[..equals]] = assignment[(equals + 1)..] };
    }

    public bool Runs(string section) => Only is null || Only == section;

    private static int Count(string flag, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : throw new ArgumentException($"{flag} must be a positive whole number, not '{value}'");

    private static double Seconds(string flag, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : throw new ArgumentException($"{flag} must be a positive number of seconds, not '{value}'");
}
