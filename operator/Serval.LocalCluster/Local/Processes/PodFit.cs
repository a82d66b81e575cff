using k8s.Models;

namespace Serval.LocalCluster.Local.Processes;

/// <summary>
/// The scheduler's verdict on the one local node: a pod that requests (or limits) an extended resource the
/// node does not offer, such as <c>nvidia.com/gpu</c> or <c>nvidia.com/mig-1g.10gb</c>, cannot be placed, and
/// gets the real scheduler's message. cpu, memory, ephemeral-storage and hugepages are not counted: local
/// workers share the machine.
/// </summary>
public static class PodFit
{
    /// <summary>Null when the pod fits; otherwise the message of its PodScheduled=False condition.</summary>
    public static string? Unschedulable(V1Pod pod, IReadOnlyDictionary<string, int> extendedResources)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(extendedResources);
        var requested = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            // A limit without a request implies the same request, as the API server defaults it.
            var resources = container.Resources;
            var names = (resources?.Requests?.Keys ?? []).Concat(resources?.Limits?.Keys ?? []).Distinct(StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (IsNodeShared(name))
                {
                    continue;
                }

                ResourceQuantity? quantity = null;
                if (resources?.Requests?.TryGetValue(name, out var request) == true)
                {
                    quantity = request;
                }
                else if (resources?.Limits?.TryGetValue(name, out var limit) == true)
                {
                    quantity = limit;
                }

                var amount = (long)Math.Ceiling(quantity?.ToDecimal() ?? 0m);
                requested[name] = requested.GetValueOrDefault(name) + amount;
            }
        }

        var insufficient = requested
            .Where(r => r.Value > 0 && r.Value > extendedResources.GetValueOrDefault(r.Key))
            .Select(r => r.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (insufficient.Count == 0)
        {
            return null;
        }

        return $"0/1 nodes are available: {string.Join(", ", insufficient.Select(n => $"1 Insufficient {n}"))}.";
    }

    private static bool IsNodeShared(string name) =>
        name is "cpu" or "memory" or "ephemeral-storage" || name.StartsWith("hugepages-", StringComparison.Ordinal);
}
