using System.Text.RegularExpressions;

namespace Serval.Bench.Worker;

/// <summary>Starts the real serval-worker executable on a free port and waits until it reports the model ready.</summary>
internal static partial class WorkerProcesses
{
    public static Task<ServerProcess> StartAsync(BenchEnvironment environment, BenchSettings settings, string modelPath, string name, params string[] options) =>
        StartAsync(environment, settings.WorkerEnvironment, modelPath, name, options);

    public static Task<ServerProcess> StartAsync(
        BenchEnvironment environment, IReadOnlyDictionary<string, string> variables, string modelPath, string name, params string[] options) =>
        ServerProcess.StartAsync(
            environment.WorkerExecutable,
            ["--model", modelPath, "--name", name, "--host", "127.0.0.1", "--port", "0", .. options],
            ReadyLine(),
            m => new Uri(m.Groups[1].Value),
            TimeSpan.FromSeconds(120),
            environment: variables);

    /// <summary>The worker's "Model … ready … serving at http://…/" log line.</summary>
    [GeneratedRegex(@"ready on .* serving at (http://\S+)")]
    private static partial Regex ReadyLine();
}
