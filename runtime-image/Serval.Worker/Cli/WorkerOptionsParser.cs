using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Serval.Worker.Cli;

/// <summary>
/// Reads <c>serval-worker</c>'s flags and their <c>SERVAL_WORKER_*</c> environment variables
/// (flags win). Pure: the environment comes in as a dictionary.
/// </summary>
internal static partial class WorkerOptionsParser
{
    private const string EnvironmentPrefix = "SERVAL_WORKER_";

    private delegate WorkerOptions Apply(WorkerOptions options, string flag, string value);

    private sealed record Flag(string Name, string Value, string Help, Apply Apply);

    private static readonly Flag[] Flags =
    [
        new("model", "URI", "model to serve: PATH, file:///PATH, http(s)://URL, or a directory (a mounted PVC or ConfigMap)",
            (o, _, v) => o with { Model = v }),
        new("model-sha256", "HEX", "refuse the model unless its SHA-256 is HEX (64 hex digits)",
            (o, f, v) => o with { ModelSha256 = Sha256(f, v) }),
        new("model-file", "NAME", "for a directory: the file to load (default: the single .onnx file in it)",
            (o, f, v) => o with { ModelFile = FileName(f, v) }),
        new("name", "NAME", "served model name (default: the model file name without .onnx)",
            (o, f, v) => o with { Name = ModelName(f, v) }),
        new("host", "ADDRESS", "IP address to listen on (default 0.0.0.0; 127.0.0.1 for local use)",
            (o, f, v) => o with { Host = HostAddress(f, v) }),
        new("port", "N", "port to listen on, 0 for any free port (default 8080)",
            (o, f, v) => o with { Port = Int(f, v, 0, 65535) }),
        new("max-batch-size", "N", "most rows per session call; 1 turns dynamic batching off (default 16)",
            (o, f, v) => o with { MaxBatchSize = Int(f, v, 1, 1 << 20) }),
        new("max-queue-delay-us", "N", "longest a request waits for others to join its batch (default 500)",
            (o, f, v) => o with { MaxQueueDelayMicroseconds = Int(f, v, 0, 10_000_000) }),
        new("max-queue-length", "N", "queued requests before new ones get 429 (default 256)",
            (o, f, v) => o with { MaxQueueLength = Int(f, v, 1, 1 << 20) }),
        new("instances", "N", "session calls that may run at once (default 1)",
            (o, f, v) => o with { Instances = Int(f, v, 1, 64) }),
        new("execution-provider", "Auto|Cpu|Cuda", "Auto uses CUDA when the GPU build finds a device, else the CPU (default Auto)",
            (o, f, v) => o with { ExecutionProvider = Provider(f, v) }),
        new("intra-op-threads", "N", "threads inside one operator, 0 = one per core (default 0)",
            (o, f, v) => o with { IntraOpThreads = Int(f, v, 0, 1024) }),
        new("inter-op-threads", "N", "threads running independent operators in parallel, 0 = sequential (default 0)",
            (o, f, v) => o with { InterOpThreads = Int(f, v, 0, 1024) }),
        new("auth-token-file", "PATH", "require 'Authorization: Bearer <token>' with the token in PATH (health stays open)",
            (o, f, v) => o with { AuthTokenFile = NonEmpty(f, v) }),
        new("max-request-bytes", "N", "largest request body in bytes (default 67108864)",
            (o, f, v) => o with { MaxRequestBytes = Long(f, v, 1024, int.MaxValue) }),
        new("max-tensor-elements", "N", "most elements in one tensor (default 16777216)",
            (o, f, v) => o with { MaxTensorElements = Long(f, v, 1, int.MaxValue) }),
        new("request-timeout-ms", "N", "longest a request may take, 0 for no limit (default 30000)",
            (o, f, v) => o with { RequestTimeoutMilliseconds = Int(f, v, 0, int.MaxValue) }),
        new("download-timeout-s", "N", "longest a model download may take (default 600)",
            (o, f, v) => o with { DownloadTimeoutSeconds = Int(f, v, 1, int.MaxValue) }),
        new("shutdown-timeout-s", "N", "how long shutdown waits for requests in flight (default 25)",
            (o, f, v) => o with { ShutdownTimeoutSeconds = Int(f, v, 0, 3600) }),
    ];

    /// <summary>The text of <c>--help</c>.</summary>
    public static string HelpText()
    {
        var lines = new List<string>
        {
            "usage: serval-worker --model URI [options]",
            "",
            "Serves one ONNX model over the Open Inference Protocol (V2) REST API.",
            "",
        };
        foreach (var flag in Flags)
        {
            lines.Add($"  --{flag.Name} {flag.Value}");
            lines.Add($"      {flag.Help}");
        }

        lines.Add("");
        lines.Add("Every flag can also be set with an environment variable: --max-batch-size is");
        lines.Add("SERVAL_WORKER_MAX_BATCH_SIZE. A flag on the command line wins over the variable.");
        lines.Add("");
        lines.Add("A directory given to --model must hold exactly one .onnx file, or --model-file names the");
        lines.Add("one to load. http(s) models are downloaded to a temporary file before loading.");
        return string.Join('\n', lines) + "\n";
    }

    public static ParsedCommandLine Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, (string Source, string Value)>(StringComparer.Ordinal);
        foreach (var flag in Flags)
        {
            var variable = EnvironmentPrefix + flag.Name.Replace('-', '_').ToUpperInvariant();
            if (environment.TryGetValue(variable, out var value) && value.Length > 0)
            {
                values[flag.Name] = (variable, value);
            }
        }

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                return ParsedCommandLine.Help();
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                return ParsedCommandLine.Fail($"unexpected argument '{arg}': flags start with -- (see --help)");
            }

            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (Array.Find(Flags, f => f.Name == name) is null)
            {
                return ParsedCommandLine.Fail($"unknown flag '--{name}' (see --help)");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    return ParsedCommandLine.Fail($"flag '--{name}' needs a value");
                }

                value = args[++i];
            }

            values[name] = ("--" + name, value);
        }

        if (!values.TryGetValue("model", out var model) || string.IsNullOrWhiteSpace(model.Value))
        {
            return ParsedCommandLine.Fail("--model is required (or SERVAL_WORKER_MODEL): the model to serve");
        }

        var options = new WorkerOptions { Model = model.Value };
        foreach (var flag in Flags)
        {
            if (values.TryGetValue(flag.Name, out var given))
            {
                try
                {
                    options = flag.Apply(options, given.Source, given.Value);
                }
                catch (FormatException e)
                {
                    return ParsedCommandLine.Fail(e.Message);
                }
            }
        }

        return ParsedCommandLine.Run(options);
    }

    private static int Int(string flag, string value, int min, int max) => (int)Long(flag, value, min, max);

    private static long Long(string flag, string value, long min, long max)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw new FormatException($"invalid value '{value}' for {flag}: expected a whole number from {min} to {max}");
        }

        return number;
    }

    private static ExecutionProviderKind Provider(string flag, string value) =>
        Enum.TryParse<ExecutionProviderKind>(value, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !char.IsDigit(value[0])
            ? kind
            : throw new FormatException($"invalid value '{value}' for {flag}: expected Auto, Cpu or Cuda");

    private static string Sha256(string flag, string value) =>
        Sha256Pattern().IsMatch(value)
            ? value.ToLowerInvariant()
            : throw new FormatException($"invalid value '{value}' for {flag}: expected 64 hexadecimal digits");

    private static string ModelName(string flag, string value) =>
        ModelNamePattern().IsMatch(value)
            ? value
            : throw new FormatException(
                $"invalid value '{value}' for {flag}: expected 1 to 253 letters, digits, '.', '_' or '-', starting with a letter or digit");

    private static string FileName(string flag, string value) =>
        value.Length > 0 && value.IndexOfAny(['/', '\\']) < 0 && value is not "." and not ".."
            ? value
            : throw new FormatException($"invalid value '{value}' for {flag}: expected a file name inside the model directory");

    private static string HostAddress(string flag, string value) =>
        value == "localhost" || IPAddress.TryParse(value, out _)
            ? value
            : throw new FormatException($"invalid value '{value}' for {flag}: expected an IP address such as 0.0.0.0 or 127.0.0.1");

    private static string NonEmpty(string flag, string value) =>
        value.Length > 0 ? value : throw new FormatException($"invalid value '' for {flag}: expected a path");

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$")]
    private static partial Regex ModelNamePattern();
}
