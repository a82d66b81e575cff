using System.Globalization;
using Serval.Api.V1Alpha1;
using Serval.LocalCluster.Local.Proxy;
using Serval.Operator.Status;

namespace Serval.Operator.Local;

/// <summary>status.url in local mode: the loopback listener the local proxy keeps for the InferenceService's name.</summary>
public sealed class LocalServiceUrlProvider(LocalProxy proxy) : IServiceUrlProvider
{
    public string UrlOf(InferenceService service, ResolvedSpec spec)
    {
        ArgumentNullException.ThrowIfNull(service);
        var url = proxy.UrlOf(service.Metadata.NamespaceProperty ?? "default", service.Metadata.Name);
        return string.Create(CultureInfo.InvariantCulture, $"{url.Scheme}://{url.Host}:{url.Port}");
    }
}
