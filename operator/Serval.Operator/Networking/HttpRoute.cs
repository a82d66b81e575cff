using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Serval.Operator.Networking;

/// <summary>
/// A Gateway API <c>gateway.networking.k8s.io/v1</c> HTTPRoute. The client library has no model for it; the
/// operator writes only a few fields, so spec and status stay JSON (see <see cref="HttpRouteBuilder"/>).
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class HttpRoute : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeGroup = "gateway.networking.k8s.io";

    public const string KubeApiVersion = "v1";

    public const string KubeKind = "HTTPRoute";

    public const string KubePluralName = "httproutes";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeGroup + "/" + KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonObject? Spec { get; set; }

    [JsonPropertyName("status")]
    public JsonObject? Status { get; set; }
}
