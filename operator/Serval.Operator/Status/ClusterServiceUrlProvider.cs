using Serval.Api.V1Alpha1;

namespace Serval.Operator.Status;

/// <summary>
/// The in-cluster URL: <c>http://&lt;isvc&gt;.&lt;ns&gt;.svc.cluster.local</c>, or <c>http://&lt;first hostname&gt;</c>
/// when the service is exposed through a Gateway with hostnames.
/// </summary>
public sealed class ClusterServiceUrlProvider : IServiceUrlProvider
{
    public string UrlOf(InferenceService service, ResolvedSpec spec)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Traffic is { Hostnames.Count: > 0 } traffic)
        {
            return $"http://{traffic.Hostnames[0]}";
        }

        return $"http://{service.Metadata.Name}.{service.Metadata.NamespaceProperty ?? "default"}.svc.cluster.local";
    }
}
