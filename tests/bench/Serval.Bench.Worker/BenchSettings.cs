using System.Globalization;

namespace Serval.Bench.Worker;

/// <summary>
/// Command line: <c>[--seconds N] [--warm-up N] [--only overhead|batching|resnet18] [--no-results] [--worker-env KEY=VALUE]...</c>.
/// <c>--no-results</c> leaves tests/bench/RESULTS.md and the plot alone (for trial runs); <c>--worker-env</c> sets an
/// environment variable for the serval-worker processes only (runtime knobs such as DOTNET_gcServer, for experiments).
/// </summary>
internal sealed record BenchSettings(TimeSpan WarmUp, TimeSpan Duration, string? Only, bool WriteResults)
{
    public IReadOnlyDictionary<string, string> WorkerEnvironment { get; init; } = new Dictionary<string, string>();

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), null, true);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            settings = args[i] switch
            {
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(Seconds("--seconds", Value())) },
                "--warm-up" => settings with { WarmUp = TimeSpan.FromSeconds(Seconds("--warm-up", Value())) },
                "--only" => settings with { Only = Value() },
                "--no-results" => settings with { WriteResults = false },
                "--worker-env" => settings with { WorkerEnvironment = WithVariable(settings.WorkerEnvironment, Value()) },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'; use --seconds N, --warm-up N, --only overhead|batching|resnet18, --no-results, --worker-env KEY=VALUE"),
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

    private static double Seconds(string flag, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : throw new ArgumentException($"{flag} must be a positive number of seconds, not '{value}'");
}
