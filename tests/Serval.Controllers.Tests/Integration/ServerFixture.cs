using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.LocalCluster;

namespace Serval.Controllers.Tests.Integration;

/// <summary>Helpers shared by the tests that run against the embedded API server.</summary>
internal static class ServerFixture
{
    public static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(30);

    public static Task<EmbeddedApiServer> StartAsync(int watchWindow = 1000, TimeSpan? bookmarkInterval = null) =>
        EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
        {
            Port = 0,
            WatchWindow = watchWindow,
            BookmarkInterval = bookmarkInterval ?? TimeSpan.FromMinutes(1),
        });

    public static KubernetesApi Api(EmbeddedApiServer server) => new(server.ClientConfiguration());

    public static V1ConfigMap ConfigMap(string name, string value = "v", string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Data = new Dictionary<string, string> { ["value"] = value },
    };

    /// <summary>Polls every 20 ms until the condition holds; fails after the overall timeout.</summary>
    public static async Task Eventually(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? ServerTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }
}

/// <summary>Records what an informer reports, as "add a", "update a", "delete a".</summary>
internal sealed class RecordingHandler<T> : IInformerHandler<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public void OnAdd(T obj) => Calls.Enqueue($"add {obj.Metadata.Name}");

    public void OnUpdate(T oldObj, T newObj) => Calls.Enqueue($"update {newObj.Metadata.Name}");

    public void OnDelete(T obj) => Calls.Enqueue($"delete {obj.Metadata.Name}");
}
