using k8s.Models;

namespace Serval.Api.V1Alpha1;

/// <summary>The GPU resources of a container: <c>nvidia.com/gpu</c> and the MIG profiles <c>nvidia.com/mig-*</c>.</summary>
public static class GpuResources
{
    /// <summary>A whole GPU.</summary>
    public const string NvidiaGpu = "nvidia.com/gpu";

    /// <summary>The prefix of MIG slices (<c>nvidia.com/mig-1g.10gb</c>).</summary>
    public const string MigPrefix = "nvidia.com/mig-";

    /// <summary>Whether a resource name is a GPU or a MIG slice.</summary>
    public static bool IsGpu(string resourceName) =>
        resourceName == NvidiaGpu || resourceName.StartsWith(MigPrefix, StringComparison.Ordinal);

    /// <summary>The GPU limits, by resource name.</summary>
    public static IReadOnlyDictionary<string, decimal> Limits(V1ResourceRequirements? resources) => Of(resources?.Limits);

    /// <summary>The GPU requests, by resource name.</summary>
    public static IReadOnlyDictionary<string, decimal> Requests(V1ResourceRequirements? resources) => Of(resources?.Requests);

    private static Dictionary<string, decimal> Of(IDictionary<string, ResourceQuantity>? quantities) =>
        quantities is null
            ? []
            : quantities.Where(q => IsGpu(q.Key) && q.Value is not null).ToDictionary(q => q.Key, q => q.Value.ToDecimal(), StringComparer.Ordinal);
}
