using System.Collections.Concurrent;
using k8s.Models;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.Operator.Revisions;
using Serval.Operator.Rollout.Canary;

namespace Serval.Operator.Rollout.SmokeTest;

/// <summary>
/// Runs smoke tests off the reconcile path: the first ask starts one in the background and answers null (the
/// rollout waits, and looks again shortly); a later ask for the same revision answers its result. One test per
/// InferenceService at a time; a test that could not be judged is tried again after <see cref="RetryDelay"/>.
/// </summary>
internal sealed partial class SmokeTestGate(IKubernetesApi api, SmokeTestRunner runner, TimeProvider time, ILogger<SmokeTestGate> logger)
{
    /// <summary>How long after an unavailable test the next try may start.</summary>
    internal static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<ObjectKey, Run> _runs = new();

    /// <summary>The smoke test's result for the revision, or null while it runs (or waits to be tried again).</summary>
    /// <param name="service">The InferenceService.</param>
    /// <param name="model">The served model name.</param>
    /// <param name="test">The smoke test to run.</param>
    /// <param name="canary">The new revision's hash.</param>
    /// <param name="stable">The stable revision's hash.</param>
    public SmokeTestResult? Poll(ObjectKey service, string model, Api.V1Alpha1.ResolvedSmokeTest test, string canary, string stable)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(test);
        var now = time.GetUtcNow();
        var run = _runs.AddOrUpdate(
            service,
            _ => Start(service, model, test, canary, stable, now),
            (_, existing) => existing.Canary != canary || (existing.Task.IsCompleted && existing.Task.Result is null && now >= existing.RetryAt)
                ? Start(service, model, test, canary, stable, now)
                : existing);
        return run.Task.IsCompletedSuccessfully ? run.Task.Result : null;
    }

    /// <summary>Forgets the InferenceService's test (its rollout ended).</summary>
    public void Forget(ObjectKey service) => _runs.TryRemove(service, out _);

    private Run Start(ObjectKey service, string model, Api.V1Alpha1.ResolvedSmokeTest test, string canary, string stable, DateTimeOffset now) =>
        new(canary, RunAsync(service, model, test, canary, stable), now + RetryDelay);

    private async Task<SmokeTestResult?> RunAsync(ObjectKey service, string model, Api.V1Alpha1.ResolvedSmokeTest test, string canary, string stable)
    {
        await Task.Yield();
        try
        {
            var configMap = await api.GetAsync<V1ConfigMap>(service.Namespace, test.ConfigMapName, CancellationToken.None).ConfigureAwait(false);
            var requests = SmokeTestRequests.Read(test.ConfigMapName, configMap?.Data, out var error);
            if (error is not null)
            {
                return new SmokeTestResult(false, error);
            }

            var canaryPod = await PodOfAsync(service, canary).ConfigureAwait(false)
                ?? throw new SmokeTestUnavailableException($"no ready pod of {Revision.NameOf(service.Name, canary)} with an IP and an http port");
            var stablePod = await PodOfAsync(service, stable).ConfigureAwait(false)
                ?? throw new SmokeTestUnavailableException($"no ready pod of {Revision.NameOf(service.Name, stable)} with an IP and an http port");
            return await runner.RunAsync(requests, model, canaryPod, stablePod, test.Tolerance, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SmokeTestUnavailableException or KubernetesApiException or HttpRequestException)
        {
            LogUnavailable(logger, service, e.Message);
            return null;
        }
    }

    private async Task<Uri?> PodOfAsync(ObjectKey service, string revision)
    {
        var selector = $"{ServalLabels.InferenceService}={service.Name},{ServalLabels.Revision}={revision}";
        var pods = await api.ListAsync<V1Pod>(service.Namespace, new ListOptions { LabelSelector = selector }, CancellationToken.None).ConfigureAwait(false);
        return PodAddress.FirstReady(pods.Items);
    }

    private sealed record Run(string Canary, Task<SmokeTestResult?> Task, DateTimeOffset RetryAt);
}
