using k8s.Models;

namespace Serval.Operator.Rollout.SmokeTest;

/// <summary>Where to reach a worker pod directly: its IP and the port of its <c>http</c> container port.</summary>
internal static class PodAddress
{
    /// <summary>The name of the worker's container port.</summary>
    public const string HttpPortName = "http";

    /// <summary>The base address of the first ready, running pod (by name, so the choice is stable), or null when none is.</summary>
    public static Uri? FirstReady(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return pods
            .Where(IsReady)
            .OrderBy(p => p.Metadata?.Name, StringComparer.Ordinal)
            .Select(Of)
            .FirstOrDefault(u => u is not null);
    }

    /// <summary>The pod's base address, or null without an IP or an <c>http</c> port.</summary>
    public static Uri? Of(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ip = pod.Status?.PodIP;
        var port = pod.Spec?.Containers?
            .SelectMany(c => c.Ports ?? [])
            .FirstOrDefault(p => p.Name == HttpPortName)?.ContainerPort;
        if (string.IsNullOrEmpty(ip) || port is not > 0)
        {
            return null;
        }

        var host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
        return new Uri($"http://{host}:{port}/");
    }

    private static bool IsReady(V1Pod pod) =>
        pod.Metadata?.DeletionTimestamp is null
        && pod.Status?.Phase == "Running"
        && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
