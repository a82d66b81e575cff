using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Serval.LocalCluster.Aggregation;
using Serval.LocalCluster.Resources;

namespace Serval.LocalCluster.Discovery;

/// <summary>The legacy (non-aggregated) discovery documents: /version, /api, /apis, /apis/{group}, and resource lists.</summary>
internal static class DiscoveryDocuments
{
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0",
        ["gitCommit"] = "serval-local",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList(ResourceRegistry registry, IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> aggregated)
    {
        var groups = new JsonArray();
        foreach (var (group, versions) in registry.Groups().Where(g => g.Group.Length > 0))
        {
            groups.Add(Group(group, versions));
        }

        foreach (var (group, versions) in aggregated.Where(a => !registry.Groups().Any(g => g.Group == a.Group)))
        {
            groups.Add(Group(group, versions));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? GroupDocument(ResourceRegistry registry, IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> aggregated, string group)
    {
        var match = registry.Groups().FirstOrDefault(g => g.Group == group);
        if (match.Group is null)
        {
            match = aggregated.FirstOrDefault(g => g.Group == group);
        }

        if (match.Group is null || group.Length == 0)
        {
            return null;
        }

        var document = Group(group, match.Versions);
        document["kind"] = "APIGroup";
        document["apiVersion"] = "v1";
        return document;
    }

    public static JsonObject? ResourceList(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var t in types)
        {
            var resource = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = Strings(t.Verbs),
            };
            if (t.ShortNames.Count > 0)
            {
                resource["shortNames"] = Strings(t.ShortNames);
            }

            if (t.Categories.Count > 0)
            {
                resource["categories"] = Strings(t.Categories);
            }

            resource["storageVersionHash"] = Hash($"{t.Group}/{t.Version}/{t.Kind}");
            resources.Add(resource);
            if (t.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{t.Plural}/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = t.Kind,
                    ["verbs"] = Strings(["get", "patch", "update"]),
                });
            }

            if (t.Scale is not null)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{t.Plural}/scale",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = t.Namespaced,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = Strings(["get", "patch", "update"]),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>The media type of aggregated discovery (apidiscovery.k8s.io/v2), which kubectl and helm ask for first.</summary>
    public const string AggregatedMediaType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    /// <summary>Whether an Accept header asks for aggregated discovery v2.</summary>
    public static bool WantsAggregated(string? accept) =>
        accept is not null && accept.Split(',').Any(option =>
        {
            var parameters = option.Split(';', StringSplitOptions.TrimEntries);
            return parameters[0] == "application/json" && parameters.Contains("g=apidiscovery.k8s.io") && parameters.Contains("v=v2")
                && parameters.Contains("as=APIGroupDiscoveryList");
        });

    /// <summary>Every group (the core group for /api, the others for /apis) with its versions and resources in one document.</summary>
    public static JsonObject Aggregated(ResourceRegistry registry, bool core, IReadOnlyList<AggregatedGroupVersion> aggregated)
    {
        var items = new JsonArray();
        foreach (var (group, versions) in registry.Groups().Where(g => (g.Group.Length == 0) == core))
        {
            var versionList = new JsonArray();
            foreach (var version in versions)
            {
                var resources = new JsonArray();
                foreach (var t in registry.All.Where(t => t.Group == group && t.Version == version))
                {
                    var resource = new JsonObject
                    {
                        ["resource"] = t.Plural,
                        ["responseKind"] = Kind(t.Group, t.Version, t.Kind),
                        ["scope"] = t.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = t.Singular,
                        ["verbs"] = Strings(t.Verbs),
                    };
                    if (t.ShortNames.Count > 0)
                    {
                        resource["shortNames"] = Strings(t.ShortNames);
                    }

                    if (t.Categories.Count > 0)
                    {
                        resource["categories"] = Strings(t.Categories);
                    }

                    var subresources = new JsonArray();
                    if (t.HasStatus)
                    {
                        subresources.Add(new JsonObject
                        {
                            ["subresource"] = "status", ["responseKind"] = Kind(t.Group, t.Version, t.Kind), ["verbs"] = Strings(["get", "patch", "update"]),
                        });
                    }

                    if (t.Scale is not null)
                    {
                        subresources.Add(new JsonObject
                        {
                            ["subresource"] = "scale", ["responseKind"] = Kind("autoscaling", "v1", "Scale"), ["verbs"] = Strings(["get", "patch", "update"]),
                        });
                    }

                    if (subresources.Count > 0)
                    {
                        resource["subresources"] = subresources;
                    }

                    resources.Add(resource);
                }

                versionList.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            items.Add(new JsonObject { ["metadata"] = new JsonObject { ["name"] = group, ["creationTimestamp"] = null }, ["versions"] = versionList });
        }

        foreach (var served in aggregated.Where(_ => !core).GroupBy(a => a.Group, StringComparer.Ordinal))
        {
            var versionList = new JsonArray();
            foreach (var gv in served)
            {
                versionList.Add(new JsonObject
                {
                    ["version"] = gv.Version,
                    ["resources"] = BackendResources(gv),
                    // What the real aggregator says of a backend whose discovery it could not fetch.
                    ["freshness"] = gv.ResourceList is null ? "Stale" : "Current",
                });
            }

            items.Add(new JsonObject { ["metadata"] = new JsonObject { ["name"] = served.Key, ["creationTimestamp"] = null }, ["versions"] = versionList });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonArray BackendResources(AggregatedGroupVersion gv)
    {
        var resources = new JsonArray();
        foreach (var r in (gv.ResourceList?["resources"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (r["name"]?.GetValue<string>() is not { } name || name.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            resources.Add(new JsonObject
            {
                ["resource"] = name,
                ["responseKind"] = Kind(gv.Group, gv.Version, r["kind"]?.GetValue<string>() ?? string.Empty),
                ["scope"] = r["namespaced"]?.GetValue<bool>() == true ? "Namespaced" : "Cluster",
                ["singularResource"] = r["singularName"]?.GetValue<string>() ?? string.Empty,
                ["verbs"] = r["verbs"]?.DeepClone() ?? new JsonArray(),
            });
        }

        return resources;
    }

    private static JsonObject Kind(string group, string version, string kind) => new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        var list = new JsonArray();
        foreach (var v in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v });
        }

        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = list,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static string Hash(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
}
