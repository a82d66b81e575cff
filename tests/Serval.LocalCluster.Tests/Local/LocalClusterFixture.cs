using k8s.Models;
using Microsoft.Extensions.Logging;
using Serval.Controllers.Kubernetes;
using Serval.LocalCluster.Local;
using Serval.LocalCluster.Local.Processes;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Local;

/// <summary>An embedded API server, the local controllers against it, a client, and the sample model as a ConfigMap.</summary>
internal sealed class LocalClusterFixture : IAsyncDisposable
{
    public const string ModelConfigMap = "mlp-model";

    private LocalClusterFixture(EmbeddedApiServer server, LocalControllers controllers, KubernetesApi api, string stateDirectory)
    {
        Server = server;
        Controllers = controllers;
        Api = api;
        StateDirectory = stateDirectory;
    }

    public EmbeddedApiServer Server { get; }

    public LocalControllers Controllers { get; }

    public KubernetesApi Api { get; }

    public string StateDirectory { get; }

    public static string WorkerPath => WorkerExecutable.Locate(Repository.Root)
        ?? throw new InvalidOperationException("serval-worker is not built (dotnet build runtime-image/Serval.Worker)");

    public static async Task<LocalClusterFixture> StartAsync(Action<LocalControllersOptions>? configure = null)
    {
        var state = Path.Combine(Path.GetTempPath(), "serval-local-" + Guid.NewGuid().ToString("N")[..8]);
        var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { Port = 0 });
        var options = new LocalControllersOptions
        {
            StateDirectory = state,
            WorkerPath = WorkerPath,
            ProbePeriod = TimeSpan.FromMilliseconds(100),
            RestartBackoff = TimeSpan.FromMilliseconds(200),
            MaxRestartBackoff = TimeSpan.FromSeconds(1),
            MaxTerminationGracePeriod = TimeSpan.FromSeconds(2),
            HorizontalPodAutoscalerSyncPeriod = TimeSpan.FromMilliseconds(500),
        };
        configure?.Invoke(options);
        var loggers = new LoggerFactory([new ProgressLoggerProvider()]);
        var controllers = await LocalControllers.StartAsync(server.ClientConfiguration(), options, loggers);
        var api = new KubernetesApi(server.ClientConfiguration(), new KubernetesApiOptions { FieldManager = "test" });
        await api.CreateAsync(
            new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = ModelConfigMap, NamespaceProperty = "default" },
                BinaryData = new Dictionary<string, byte[]> { ["mlp.onnx"] = await File.ReadAllBytesAsync(Repository.Path("samples/models/mlp.onnx")) },
            },
            CancellationToken.None);
        return new LocalClusterFixture(server, controllers, api, state);
    }

    public async ValueTask DisposeAsync()
    {
        await Controllers.DisposeAsync();
        Api.Dispose();
        await Server.DisposeAsync();
        if (Directory.Exists(StateDirectory))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
    }
}
