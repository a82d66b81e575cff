using System.Globalization;

namespace Serval.Operator.Commands;

/// <summary>The flags of <c>serval-operator run</c>; <see cref="Parse"/> throws a FormatException naming the flag and value.</summary>
internal sealed record RunOptions(
    string? Kubeconfig,
    string? Namespace,
    int MetricsPort,
    bool LeaderElect,
    string? LeaderElectionNamespace,
    int MaxConcurrentReconciles)
{
    /// <summary>Port of the HTTPS external metrics API (the APIService backend).</summary>
    public int ExternalMetricsPort { get; init; } = 6443;

    /// <summary>Directory with tls.crt and tls.key for that API; null makes a self-signed certificate at start.</summary>
    public string? ExternalMetricsCertDir { get; init; }

    /// <summary>The autoscaler's stable window, in seconds.</summary>
    public int StableWindowSeconds { get; init; } = 60;

    /// <summary>The autoscaler's panic window, in seconds.</summary>
    public int PanicWindowSeconds { get; init; } = 6;

    /// <summary>The worker image of InferenceServices without spec.runtime.image; null: the built-in default.</summary>
    public string? WorkerImage { get; init; }

    /// <summary>Seconds between scrapes of the workers' /metrics.</summary>
    public int ScrapeIntervalSeconds { get; init; } = 2;

    /// <summary>Whether the autoscaler sets a revision's replicas itself each tick (its HPA follows the same decision).</summary>
    public bool ScaleDirectly { get; init; } = true;

    /// <summary>Whether the heap is compacted and its free memory returned to the OS once the reconciles of a burst are done.</summary>
    public bool MemoryTrim { get; init; } = true;

    public const string Flags = "--kubeconfig PATH, --namespace NS (default: all), --metrics-port N (alias --health-port; /metrics, /healthz, /readyz; default 8081), " +
        "--leader-elect true|false (default true), --leader-election-namespace NS, --max-concurrent-reconciles N (default 4), " +
        "--external-metrics-port N (HTTPS; default 6443), --external-metrics-cert-dir DIR (tls.crt, tls.key; default self-signed), " +
        "--scrape-interval-seconds N (default 2), --stable-window-seconds N (default 60), --panic-window-seconds N (default 6), --worker-image IMAGE (for services without spec.runtime.image), " +
        "--scale-directly true|false (default true: the autoscaler sets replicas each tick; false: only through the HPA's sync), " +
        "--memory-trim true|false (default true: return a burst's memory to the OS once the reconciles are done)";

    public static RunOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new RunOptions(null, null, 8081, true, null, 4);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var (flag, inline) = arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new FormatException($"flag {flag} needs a value");
                }

                return args[++i];
            }

            options = flag switch
            {
                "--kubeconfig" => options with { Kubeconfig = NonEmpty(flag, Value()) },
                "--namespace" or "-n" => options with { Namespace = NonEmpty(flag, Value()) },
                "--metrics-port" or "--health-port" => options with { MetricsPort = Number(flag, Value(), 0, 65535) },
                "--leader-elect" => options with { LeaderElect = inline is null && (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)) || Bool(flag, Value()) },
                "--leader-election-namespace" => options with { LeaderElectionNamespace = NonEmpty(flag, Value()) },
                "--max-concurrent-reconciles" => options with { MaxConcurrentReconciles = Number(flag, Value(), 1, 1024) },
                "--external-metrics-port" => options with { ExternalMetricsPort = Number(flag, Value(), 0, 65535) },
                "--external-metrics-cert-dir" => options with { ExternalMetricsCertDir = NonEmpty(flag, Value()) },
                "--stable-window-seconds" => options with { StableWindowSeconds = Number(flag, Value(), 6, 3600) },
                "--panic-window-seconds" => options with { PanicWindowSeconds = Number(flag, Value(), 1, 3600) },
                "--worker-image" => options with { WorkerImage = Image(flag, Value()) },
                "--scale-directly" => options with { ScaleDirectly = Bool(flag, Value()) },
                "--memory-trim" => options with { MemoryTrim = Bool(flag, Value()) },
                "--scrape-interval-seconds" => options with { ScrapeIntervalSeconds = Number(flag, Value(), 1, 60) },
                _ => throw new FormatException($"unknown flag \"{arg}\" (flags: {Flags})"),
            };
        }

        return options;
    }

    private static string NonEmpty(string flag, string value) =>
        value.Length > 0 ? value : throw new FormatException($"{flag}: must not be empty");

    private static string Image(string flag, string value) =>
        value.Length > 0 && !value.Any(char.IsWhiteSpace)
            ? value
            : throw new FormatException($"{flag} \"{value}\": must be an image reference (no spaces)");

    private static int Number(string flag, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"{flag} {text}: must be a number from {min} to {max}");

    private static bool Bool(string flag, string text) => text.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new FormatException($"{flag} {text}: must be true or false"),
    };
}
