using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Serval.Api.V1Alpha1;

/// <summary>A list of InferenceServices, as the API server returns it.</summary>
[KubernetesEntity(Group = InferenceService.KubeGroup, ApiVersion = InferenceService.KubeApiVersion, Kind = KubeKind, PluralName = InferenceService.KubePluralName)]
public sealed class InferenceServiceList : IKubernetesObject<V1ListMeta>, IItems<InferenceService>
{
    /// <summary>The kind.</summary>
    public const string KubeKind = "InferenceServiceList";

    /// <summary>APIVersion defines the versioned schema of this representation of an object.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = InferenceService.ApiVersionString;

    /// <summary>Kind is a string value representing the REST resource this object represents.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    /// <summary>Standard list metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    /// <summary>The InferenceServices.</summary>
    [JsonPropertyName("items")]
    public IList<InferenceService> Items { get; set; } = [];
}
