using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Serval.LocalCluster;

namespace Serval.Operator.Tests.Rollout.Server;

/// <summary>
/// Stands in for the Deployment controller and kubelet: every Deployment in <c>default</c> gets as many ready
/// replicas as it asks for, except revisions marked unready. It also records the most replicas each Deployment
/// ever had ready and the fewest, so a test can say that a revision never lost capacity.
/// </summary>
internal sealed class FakeKubelet : IAsyncDisposable
{
    private readonly EmbeddedApiServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeKubelet(EmbeddedApiServer server)
    {
        _server = server;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Deployments (by name) that never become ready.</summary>
    public ConcurrentDictionary<string, bool> Unready { get; } = new(StringComparer.Ordinal);

    /// <summary>The fewest ready replicas seen for each Deployment once it first had some.</summary>
    public ConcurrentDictionary<string, int> LowestReady { get; } = new(StringComparer.Ordinal);

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            foreach (var deployment in _server.List("apps/v1", "Deployment", "default"))
            {
                var name = (string)deployment["metadata"]!["name"]!;
                var wanted = (int?)deployment["spec"]?["replicas"] ?? 1;
                var generation = (long?)deployment["metadata"]!["generation"] ?? 1;
                var ready = Unready.ContainsKey(name) ? 0 : wanted;
                var status = deployment["status"];
                if ((int?)status?["readyReplicas"] is { } current && current > 0)
                {
                    LowestReady.AddOrUpdate(name, current, (_, low) => Math.Min(low, current));
                }

                if ((int?)status?["replicas"] == wanted && ((int?)status?["readyReplicas"] ?? 0) == ready && (long?)status?["observedGeneration"] == generation)
                {
                    continue;
                }

                deployment["status"] = new JsonObject
                {
                    ["observedGeneration"] = generation,
                    ["replicas"] = wanted,
                    ["updatedReplicas"] = wanted,
                    ["readyReplicas"] = ready,
                    ["availableReplicas"] = ready,
                };
                try
                {
                    _server.UpdateStatus(deployment, "fake-kubelet");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A conflict with the operator's write: the next pass sees the new object.
                }
            }

            try
            {
                await Task.Delay(20, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
