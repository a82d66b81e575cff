using k8s.Models;

namespace Serval.LocalCluster.Local.Workloads;

/// <summary>
/// The arithmetic of a rolling update, as the Deployment controller does it: how far the new ReplicaSet may
/// grow (within replicas + maxSurge) and how many old replicas may go (keeping replicas - maxUnavailable
/// available). Pure: inputs are replica counts.
/// </summary>
public static class RollingUpdate
{
    /// <summary>
    /// maxSurge and maxUnavailable resolved against <paramref name="replicas"/> (25% each by default; a
    /// percentage of surge rounds up, of unavailability down; both zero would deadlock, so unavailability becomes 1).
    /// </summary>
    public static (int MaxSurge, int MaxUnavailable) Resolve(V1RollingUpdateDeployment? strategy, int replicas)
    {
        var surge = Scaled(strategy?.MaxSurge?.Value ?? "25%", replicas, roundUp: true, "maxSurge");
        var unavailable = Scaled(strategy?.MaxUnavailable?.Value ?? "25%", replicas, roundUp: false, "maxUnavailable");
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1;
        }

        return (surge, Math.Min(unavailable, replicas));
    }

    /// <summary>The new ReplicaSet's replicas: grown toward <paramref name="replicas"/> while the total stays within the surge.</summary>
    public static int NewReplicas(int replicas, int maxSurge, int newSpecReplicas, int totalSpecReplicas)
    {
        if (newSpecReplicas >= replicas)
        {
            return replicas;
        }

        var maxTotal = replicas + maxSurge;
        if (totalSpecReplicas >= maxTotal)
        {
            return newSpecReplicas;
        }

        var scaleUp = Math.Min(maxTotal - totalSpecReplicas, replicas - newSpecReplicas);
        return newSpecReplicas + scaleUp;
    }

    /// <summary>
    /// How many old replicas may be removed now: total minus those that must stay available, minus the new
    /// ReplicaSet's replicas that are not available yet.
    /// </summary>
    public static int MaxScaleDown(int replicas, int maxUnavailable, int totalSpecReplicas, int newSpecReplicas, int newAvailable)
    {
        var minAvailable = replicas - maxUnavailable;
        var newUnavailable = Math.Max(0, newSpecReplicas - newAvailable);
        return Math.Max(0, totalSpecReplicas - minAvailable - newUnavailable);
    }

    /// <summary>Available replicas beyond the minimum that must stay available (old ReplicaSets may lose that many healthy ones).</summary>
    public static int AvailableScaleDown(int replicas, int maxUnavailable, int totalAvailable) =>
        Math.Max(0, totalAvailable - (replicas - maxUnavailable));

    private static int Scaled(string value, int replicas, bool roundUp, string field)
    {
        if (value.EndsWith('%'))
        {
            if (!int.TryParse(value[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent))
            {
                throw new ArgumentException($"spec.strategy.rollingUpdate.{field}: invalid percentage '{value}'");
            }

            var exact = replicas * percent / 100.0;
            return roundUp ? (int)Math.Ceiling(exact) : (int)Math.Floor(exact);
        }

        return int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var count) && count >= 0
            ? count
            : throw new ArgumentException($"spec.strategy.rollingUpdate.{field}: must be a non-negative count or a percentage, got '{value}'");
    }
}
