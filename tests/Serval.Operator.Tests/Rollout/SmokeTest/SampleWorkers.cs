using Microsoft.Extensions.Logging;
using Serval.Worker;
using Serval.Worker.Cli;

namespace Serval.Operator.Tests.Rollout.SmokeTest;

/// <summary>Workers started in-process on loopback ports, each serving one of samples/models under the name <c>mlp</c>.</summary>
internal sealed class SampleWorkers : IAsyncDisposable
{
    private readonly Dictionary<string, WorkerHost> _hosts = new(StringComparer.Ordinal);

    public static string RepositoryRoot { get; } = FindRoot();

    public Uri this[string model] => _hosts[model].BaseAddress;

    public static async Task<SampleWorkers> StartAsync(params string[] models)
    {
        var workers = new SampleWorkers();
        foreach (var model in models)
        {
            var options = new WorkerOptions
            {
                Model = Path.Combine(RepositoryRoot, "samples", "models", model + ".onnx"),
                Name = "mlp",
                Host = "127.0.0.1",
                Port = 0,
                IntraOpThreads = 1,
            };
            var host = await WorkerHost.StartAsync(options, logging => logging.ClearProviders());
            workers._hosts[model] = host;
            await host.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        }

        return workers;
    }

    public static string SampleRequest() => File.ReadAllText(Path.Combine(RepositoryRoot, "samples", "requests", "mlp.json"));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            await host.DisposeAsync();
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no Operator.sln above the test assembly");
    }
}
