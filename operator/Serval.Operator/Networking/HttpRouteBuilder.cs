using System.Text.Json.Nodes;
using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Ownership;
using Serval.Operator.Revisions;

namespace Serval.Operator.Networking;

/// <summary>
/// The HTTPRoute <c>&lt;isvc&gt;</c> of an InferenceService with <c>traffic.gatewayRef</c>: attached to the Gateway,
/// for the given hostnames. Rules, in order: a request with header <c>serval-revision: canary</c> goes to the
/// canary (during a rollout), <c>serval-revision: stable</c> to the stable revision, anything else to both with
/// weights equal to the traffic percents.
/// </summary>
public static class HttpRouteBuilder
{
    public static HttpRoute Build(InferenceService owner, ResolvedTraffic traffic, TrafficSplit split)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(traffic);
        ArgumentNullException.ThrowIfNull(split);
        var name = owner.Metadata.Name;
        var rules = new JsonArray();
        if (split.Canary is { } canary)
        {
            rules.Add(PinnedRule("canary", Backend(name, canary, null)));
        }

        if (split.Stable is { } stable)
        {
            rules.Add(PinnedRule("stable", Backend(name, stable, null)));
        }

        var weighted = new JsonArray();
        if (split.Stable is { } s)
        {
            weighted.Add(Backend(name, s, split.StablePercent));
        }

        if (split.Canary is { } c)
        {
            weighted.Add(Backend(name, c, split.CanaryPercent));
        }

        rules.Add(new JsonObject { ["backendRefs"] = weighted });
        var spec = new JsonObject
        {
            ["parentRefs"] = new JsonArray(new JsonObject
            {
                ["group"] = "gateway.networking.k8s.io",
                ["kind"] = "Gateway",
                ["name"] = traffic.GatewayName,
                ["namespace"] = traffic.GatewayNamespace,
            }),
            ["rules"] = rules,
        };
        if (traffic.Hostnames.Count > 0)
        {
            spec["hostnames"] = new JsonArray([.. traffic.Hostnames.Select(h => (JsonNode?)JsonValue.Create(h))]);
        }

        return new HttpRoute
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = owner.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [ServalLabels.InferenceService] = name },
                OwnerReferences = [OwnerReferences.ControllerReference(owner)],
            },
            Spec = spec,
        };
    }

    private static JsonObject PinnedRule(string value, JsonObject backend) => new()
    {
        ["matches"] = new JsonArray(new JsonObject
        {
            ["headers"] = new JsonArray(new JsonObject { ["type"] = "Exact", ["name"] = ServalLabels.RevisionHeader, ["value"] = value }),
        }),
        ["backendRefs"] = new JsonArray(backend),
    };

    private static JsonObject Backend(string service, string hash, int? weight)
    {
        var backend = new JsonObject
        {
            ["group"] = string.Empty,
            ["kind"] = "Service",
            ["name"] = Revision.NameOf(service, hash),
            ["port"] = ServiceBuilder.Port,
        };
        if (weight is { } w)
        {
            backend["weight"] = w;
        }

        return backend;
    }
}
