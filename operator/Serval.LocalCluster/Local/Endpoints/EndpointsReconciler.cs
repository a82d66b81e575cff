using k8s.Models;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Reconciliation;

namespace Serval.LocalCluster.Local.Endpoints;

/// <summary>
/// The Endpoints and EndpointSlice controller: for each Service with a selector, applies the Endpoints and the
/// EndpointSlices <see cref="EndpointsBuilder"/> computes and deletes the slices it made that are no longer wanted.
/// </summary>
public sealed class EndpointsReconciler : IReconciler<V1Service>
{
    private readonly IKubernetesApi _api;
    private readonly ICacheReader<V1Service> _services;
    private readonly ICacheReader<V1Pod> _pods;
    private readonly ICacheReader<V1EndpointSlice> _slices;

    public EndpointsReconciler(IKubernetesApi api, ICacheReader<V1Service> services, ICacheReader<V1Pod> pods, ICacheReader<V1EndpointSlice> slices)
    {
        _api = api ?? throw new ArgumentNullException(nameof(api));
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _pods = pods ?? throw new ArgumentNullException(nameof(pods));
        _slices = slices ?? throw new ArgumentNullException(nameof(slices));
    }

    /// <summary>The Services in the pod's namespace whose selector matches it (what a pod change affects).</summary>
    public static IEnumerable<ObjectKey> ServicesOf(ICacheReader<V1Service> services, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(pod);
        return services.List(pod.Metadata.NamespaceProperty)
            .Where(s => s.Spec?.Selector is { Count: > 0 } selector && LabelSelector.FromLabels(selector).Matches(pod.Metadata.Labels))
            .Select(ObjectKey.Of)
            .ToList();
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var service = _services.Get(key.Namespace, key.Name);
        if (service is null || service.Metadata.DeletionTimestamp is not null
            || service.Spec?.Selector is not { Count: > 0 } selector || service.Spec.Type == "ExternalName")
        {
            // Owned slices go with the Service (garbage collection); a selector-less Service's endpoints are the user's.
            return ReconcileResult.Success;
        }

        var pods = _pods.List(key.Namespace, LabelSelector.FromLabels(selector));
        var (endpoints, slices) = EndpointsBuilder.Build(service, pods);
        await _api.ApplyAsync(endpoints, cancellationToken).ConfigureAwait(false);
        foreach (var slice in slices)
        {
            await _api.ApplyAsync(slice, cancellationToken).ConfigureAwait(false);
        }

        var wanted = slices.Select(s => s.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var stale = _slices.List(key.Namespace, LabelSelector.FromLabels(new Dictionary<string, string>
        {
            [EndpointsBuilder.ServiceNameLabel] = key.Name,
            [EndpointsBuilder.ManagedByLabel] = EndpointsBuilder.ManagedBy,
        })).Where(s => !wanted.Contains(s.Metadata.Name));
        foreach (var slice in stale)
        {
            await _api.DeleteAsync<V1EndpointSlice>(key.Namespace, slice.Metadata.Name, cancellationToken).ConfigureAwait(false);
        }

        return ReconcileResult.Success;
    }
}
