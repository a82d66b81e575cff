using Serval.Api.V1Alpha1;

namespace Serval.Operator.Status;

/// <summary>Where clients reach an InferenceService: status.url. Local mode replaces the cluster default.</summary>
public interface IServiceUrlProvider
{
    string UrlOf(InferenceService service, ResolvedSpec spec);
}
