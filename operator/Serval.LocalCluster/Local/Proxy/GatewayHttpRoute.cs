using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Serval.LocalCluster.Local.Proxy;

/// <summary>A Gateway API HTTPRoute as the proxy reads it; the spec stays JSON (see <see cref="RoutingTableBuilder"/>).</summary>
[KubernetesEntity(Group = "gateway.networking.k8s.io", ApiVersion = "v1", Kind = "HTTPRoute", PluralName = "httproutes")]
internal sealed class GatewayHttpRoute : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "gateway.networking.k8s.io/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "HTTPRoute";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonObject? Spec { get; set; }
}
