using System.Globalization;
using k8s;
using k8s.Models;
using Serval.Api.V1Alpha1;

namespace Serval.Operator.Workloads;

/// <summary>
/// Where a revision's pods may run: the user's scheduling settings plus what GPUs need. A GPU request adds the
/// <c>nvidia.com/gpu</c> NoSchedule toleration GPU nodes carry; <c>accelerator.product</c> selects the GPU Feature
/// Discovery label <c>nvidia.com/gpu.product</c>; <c>accelerator.minMemoryMiB</c> requires
/// <c>nvidia.com/gpu.memory</c> above it; <c>spot: true</c> spreads pods over zones and nodes unless the user
/// gave their own topology spread.
/// </summary>
public static class PodScheduling
{
    public const string GpuProductLabel = "nvidia.com/gpu.product";

    public const string GpuMemoryLabel = "nvidia.com/gpu.memory";

    /// <summary>Applies scheduling to <paramref name="pod"/>; <paramref name="podLabels"/> select the revision's pods for spreading.</summary>
    public static void Apply(V1PodSpec pod, ResolvedSpec spec, IReadOnlyDictionary<string, string> podLabels)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(spec);
        var scheduling = spec.Scheduling;
        var nodeSelector = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in scheduling.NodeSelector)
        {
            nodeSelector[key] = value;
        }

        if (spec.Accelerator?.Product is { Length: > 0 } product)
        {
            nodeSelector[GpuProductLabel] = product;
        }

        pod.NodeSelector = nodeSelector.Count > 0 ? new Dictionary<string, string>(nodeSelector, StringComparer.Ordinal) : null;

        var tolerations = scheduling.Tolerations.Select(Copy).ToList();
        if (spec.Gpus.Count > 0 && !tolerations.Any(t => t.Key == GpuResources.NvidiaGpu && t.Effect is null or "NoSchedule"))
        {
            tolerations.Add(new V1Toleration { Key = GpuResources.NvidiaGpu, OperatorProperty = "Exists", Effect = "NoSchedule" });
        }

        pod.Tolerations = tolerations.Count > 0 ? tolerations : null;
        pod.Affinity = Affinity(scheduling.Affinity, spec.Accelerator?.MinMemoryMiB);
        pod.PriorityClassName = scheduling.PriorityClassName;
        pod.RuntimeClassName = scheduling.RuntimeClassName;

        var spread = scheduling.TopologySpread.Select(Copy).ToList();
        if (spread.Count == 0 && scheduling.Spot)
        {
            // Spot nodes go away together: spread the revision so one reclaim does not take every replica.
            spread.Add(Spread("topology.kubernetes.io/zone", podLabels));
            spread.Add(Spread("kubernetes.io/hostname", podLabels));
        }

        pod.TopologySpreadConstraints = spread.Count > 0 ? spread : null;
    }

    private static V1Affinity? Affinity(V1Affinity? user, int? minMemoryMiB)
    {
        var affinity = user is null ? null : Copy(user);
        if (minMemoryMiB is not { } memory)
        {
            return affinity;
        }

        var requirement = new V1NodeSelectorRequirement
        {
            Key = GpuMemoryLabel,
            OperatorProperty = "Gt",
            Values = [(memory - 1).ToString(CultureInfo.InvariantCulture)],
        };
        affinity ??= new V1Affinity();
        affinity.NodeAffinity ??= new V1NodeAffinity();
        var required = affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution ??= new V1NodeSelector { NodeSelectorTerms = [] };
        required.NodeSelectorTerms ??= [];
        if (required.NodeSelectorTerms.Count == 0)
        {
            required.NodeSelectorTerms.Add(new V1NodeSelectorTerm());
        }

        // Terms are ORed: the GPU memory requirement must hold in each of them.
        foreach (var term in required.NodeSelectorTerms)
        {
            term.MatchExpressions ??= [];
            term.MatchExpressions.Add(requirement);
        }

        return affinity;
    }

    private static V1TopologySpreadConstraint Spread(string topologyKey, IReadOnlyDictionary<string, string> podLabels) => new()
    {
        TopologyKey = topologyKey,
        MaxSkew = 1,
        WhenUnsatisfiable = "ScheduleAnyway",
        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(podLabels, StringComparer.Ordinal) },
    };

    private static T Copy<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
