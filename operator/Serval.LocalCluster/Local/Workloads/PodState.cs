using k8s.Models;

namespace Serval.LocalCluster.Local.Workloads;

/// <summary>How the workload controllers read a pod: active, ready, available.</summary>
public static class PodState
{
    /// <summary>Not being deleted and not finished.</summary>
    public static bool IsActive(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Metadata?.DeletionTimestamp is null && pod.Status?.Phase is not ("Succeeded" or "Failed");
    }

    /// <summary>The Ready condition is True.</summary>
    public static bool IsReady(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return ReadyCondition(pod)?.Status == "True";
    }

    /// <summary>Ready for at least <paramref name="minReadySeconds"/> at <paramref name="now"/>.</summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ready = ReadyCondition(pod);
        if (ready?.Status != "True")
        {
            return false;
        }

        if (minReadySeconds <= 0)
        {
            return true;
        }

        var since = ready.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : now;
        return since + TimeSpan.FromSeconds(minReadySeconds) <= now;
    }

    /// <summary>The pod's restarts, summed over its containers.</summary>
    public static int Restarts(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0;
    }

    private static V1PodCondition? ReadyCondition(V1Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
}
