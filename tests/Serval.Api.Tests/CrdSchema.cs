using System.Text.Json.Nodes;
using k8s;
using Serval.Api.Crd;
using Serval.LocalCluster.Admission;

namespace Serval.Api.Tests;

/// <summary>The generated schema, as JSON and compiled by the schema+CEL validator the embedded API server uses.</summary>
internal static class CrdSchema
{
    private static readonly Lazy<JsonNode> Json = new(() =>
        JsonNode.Parse(KubernetesJson.Serialize(InferenceServiceCrd.Build().Spec.Versions[0].Schema.OpenAPIV3Schema))!);

    private static readonly Lazy<StructuralSchema> Compiled = new(() => StructuralSchema.Compile(Json.Value));

    public static JsonNode OpenApiV3 => Json.Value.DeepClone();

    public static StructuralSchema Structural => Compiled.Value;
}
