using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Operator.Revisions;

namespace Serval.Operator.Tests.Builders;

/// <summary>InferenceServices for the pure builder tests: read from the server in shape (uid set).</summary>
internal static class Specs
{
    public static InferenceService Service(Action<InferenceServiceSpec>? configure = null, string uri = "configmap://models/mlp.onnx")
    {
        var service = new InferenceService
        {
            Metadata = new V1ObjectMeta { Name = "mlp", NamespaceProperty = "ml", Uid = "uid-1", Generation = 3 },
            Spec = new InferenceServiceSpec { Model = new ModelSpec { Uri = uri } },
        };
        configure?.Invoke(service.Spec);
        return service;
    }

    public static Revision Revision(InferenceService service) => Serval.Operator.Revisions.Revision.Of(service, service.Resolve());
}
