using k8s;
using k8s.Models;
using Serval.Api.Schema;
using Serval.Api.V1Alpha1;

namespace Serval.Api.Crd;

/// <summary>
/// The InferenceService CustomResourceDefinition, generated from the C# types: schema, descriptions, rules,
/// printer columns and subresources all come from <see cref="InferenceService"/> and its attributes.
/// </summary>
/// <remarks>
/// There is no scale subresource. Each revision has its own Deployment and HorizontalPodAutoscaler, and the
/// InferenceService's replica count is only their sum, decided by the autoscaler within minReplicas and
/// maxReplicas. A scale subresource needs one spec field that a controller honours as the replica count;
/// here nothing could honour it without fighting the autoscaler, and writing it would change a spec that Git
/// owns. To change capacity, edit autoscaling.minReplicas and maxReplicas.
/// </remarks>
public static class InferenceServiceCrd
{
    /// <summary>The CRD's name.</summary>
    public const string Name = InferenceService.KubePluralName + "." + InferenceService.KubeGroup;

    /// <summary>The CustomResourceDefinition (apiextensions.k8s.io/v1).</summary>
    public static V1CustomResourceDefinition Build()
    {
        var schema = new OpenApiSchemaBuilder(XmlDocumentation.Load()).Resource(typeof(InferenceService));
        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                Labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["app.kubernetes.io/part-of"] = "serval" },
            },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = InferenceService.KubeGroup,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = InferenceService.KubeKind,
                    ListKind = InferenceServiceList.KubeKind,
                    Plural = InferenceService.KubePluralName,
                    Singular = InferenceService.KubeSingularName,
                    ShortNames = [InferenceService.KubeShortName],
                    Categories = [InferenceService.KubeCategory],
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = InferenceService.KubeApiVersion,
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = schema },
                        Subresources = new V1CustomResourceSubresources { Status = new Dictionary<string, object>() },
                        AdditionalPrinterColumns = [.. PrinterColumns.All],
                    },
                ],
            },
        };
    }

    /// <summary>The CRD as YAML, exactly as checked in at crds/serving.serval.dev_inferenceservices.yaml.</summary>
    public static string ToYaml() =>
        "# Generated from operator/Serval.Api by `make crds` (serval-operator crds); do not edit.\n"
        + KubernetesYaml.Serialize(Build());
}
