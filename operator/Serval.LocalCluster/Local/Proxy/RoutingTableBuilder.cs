using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Serval.LocalCluster.Local.Proxy;

/// <summary>
/// Builds every listener's route from the cached objects; a pure function, rebuilt whole on any change.
/// </summary>
/// <remarks>
/// A top-level Service (labelled with its InferenceService, not with a revision) gets a route whose default rule
/// round-robins over the ready pods its selector picks, which is the replica ratio; two pinned rules send
/// <c>serval-revision: stable|canary</c> to the pods of the revision its annotations name. An HTTPRoute of the same
/// name replaces it (gateway mode): its rules are kept in order with their header and path matches and weighted
/// backendRefs to Services. Only ready pods (Running, Ready True, with an IP, not being deleted) are endpoints; the
/// port is the Service's targetPort, looked up by name in the pod's container ports when it is a name, which is where
/// the local kubelet writes the port it allocated.
/// </remarks>
internal static class RoutingTableBuilder
{
    public static IReadOnlyDictionary<RouteKey, ProxyRoute> Build(
        IReadOnlyCollection<V1Service> services,
        IReadOnlyCollection<V1Pod> pods,
        IReadOnlyCollection<GatewayHttpRoute> routes)
    {
        var podsByNamespace = pods
            .Where(IsReady)
            .GroupBy(p => p.Metadata.NamespaceProperty ?? "default", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var servicesByKey = services.ToDictionary(s => KeyOf(s.Metadata));
        var table = new Dictionary<RouteKey, ProxyRoute>();
        foreach (var service in services)
        {
            if (IsTopLevel(service.Metadata))
            {
                table[KeyOf(service.Metadata)] = FromService(service, podsByNamespace);
            }
        }

        foreach (var route in routes)
        {
            var key = KeyOf(route.Metadata);
            table[key] = FromHttpRoute(key, route.Spec, servicesByKey, podsByNamespace);
        }

        return table;
    }

    public static bool IsTopLevel(V1ObjectMeta metadata) =>
        metadata.Labels is { } labels && labels.ContainsKey(ServalRouting.InferenceServiceLabel) && !labels.ContainsKey(ServalRouting.RevisionLabel);

    public static bool IsReady(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null
        && pod.Status is { Phase: "Running", PodIP.Length: > 0 } status
        && status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static RouteKey KeyOf(V1ObjectMeta metadata) => new(metadata.NamespaceProperty ?? "default", metadata.Name);

    private static ProxyRoute FromService(V1Service service, Dictionary<string, List<V1Pod>> pods)
    {
        var key = KeyOf(service.Metadata);
        var port = service.Spec?.Ports?.FirstOrDefault();
        var selector = service.Spec?.Selector;
        var rules = new List<RouteRule>();
        foreach (var (pin, annotation) in new[] { ("canary", ServalRouting.CanaryRevisionAnnotation), ("stable", ServalRouting.StableRevisionAnnotation) })
        {
            if (service.Metadata.Annotations?.TryGetValue(annotation, out var revision) == true && selector is { Count: > 0 })
            {
                // The Service may select one revision only; a pin reaches its revision's pods whatever the split is.
                var pinned = new Dictionary<string, string>(selector, StringComparer.Ordinal) { [ServalRouting.RevisionLabel] = revision };
                rules.Add(new RouteRule(
                    [new RouteMatch([new HeaderMatch(ServalRouting.RevisionHeader, pin)])],
                    [new ProxyBackend($"revision/{revision}", 1, Endpoints(key.Namespace, pinned, port, pods))]));
            }
        }

        rules.Add(new RouteRule([RouteMatch.Any], [new ProxyBackend($"service/{key}", 1, Endpoints(key.Namespace, selector, port, pods))]));
        return new ProxyRoute(key, "Service", rules);
    }

    private static ProxyRoute FromHttpRoute(
        RouteKey key,
        JsonObject? spec,
        Dictionary<RouteKey, V1Service> services,
        Dictionary<string, List<V1Pod>> pods)
    {
        var rules = new List<RouteRule>();
        foreach (var rule in (spec?["rules"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var matches = (rule["matches"] as JsonArray ?? []).OfType<JsonObject>().Select(ParseMatch).OfType<RouteMatch>().ToList();
            if (rule["matches"] is not JsonArray { Count: > 0 })
            {
                matches.Add(RouteMatch.Any);
            }

            var backends = new List<ProxyBackend>();
            foreach (var backendRef in (rule["backendRefs"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var kind = (string?)backendRef["kind"] ?? "Service";
                var group = (string?)backendRef["group"] ?? string.Empty;
                if (kind != "Service" || group.Length != 0 || (string?)backendRef["name"] is not { } name)
                {
                    continue;
                }

                var ns = (string?)backendRef["namespace"] ?? key.Namespace;
                var weight = backendRef["weight"] is JsonValue w && w.TryGetValue<int>(out var parsed) ? parsed : 1;
                var backendKey = new RouteKey(ns, name);
                IReadOnlyList<ProxyEndpoint> endpoints = [];
                if (services.TryGetValue(backendKey, out var service))
                {
                    var portNumber = backendRef["port"] is JsonValue p && p.TryGetValue<int>(out var number) ? number : (int?)null;
                    var port = service.Spec?.Ports?.FirstOrDefault(sp => portNumber is null || sp.Port == portNumber);
                    endpoints = port is null ? [] : Endpoints(ns, service.Spec?.Selector, port, pods);
                }

                backends.Add(new ProxyBackend($"service/{backendKey}", weight, endpoints));
            }

            rules.Add(new RouteRule(matches, backends));
        }

        return new ProxyRoute(key, "HTTPRoute", rules);
    }

    private static RouteMatch? ParseMatch(JsonObject match)
    {
        var headers = new List<HeaderMatch>();
        foreach (var header in (match["headers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            // Only Exact header matches are implemented; a match that needs another kind never matches, rather than
            // matching more than it should.
            if (((string?)header["type"] ?? "Exact") != "Exact" || (string?)header["name"] is not { } name || (string?)header["value"] is not { } value)
            {
                return null;
            }

            headers.Add(new HeaderMatch(name, value));
        }

        if (match["path"] is not JsonObject path)
        {
            return new RouteMatch(headers);
        }

        var type = (string?)path["type"] ?? "PathPrefix";
        var pathValue = (string?)path["value"] ?? "/";
        return type switch
        {
            "Exact" => new RouteMatch(headers, PathMatchType.Exact, pathValue),
            "RegularExpression" => new RouteMatch(headers, PathMatchType.RegularExpression, pathValue),
            _ => new RouteMatch(headers, PathMatchType.PathPrefix, pathValue),
        };
    }

    private static List<ProxyEndpoint> Endpoints(
        string ns,
        IDictionary<string, string>? selector,
        V1ServicePort? servicePort,
        Dictionary<string, List<V1Pod>> pods)
    {
        // A Service without a selector has hand-written Endpoints in a cluster; the proxy serves only selected pods.
        if (selector is not { Count: > 0 } || servicePort is null || !pods.TryGetValue(ns, out var candidates))
        {
            return [];
        }

        var endpoints = new List<ProxyEndpoint>();
        foreach (var pod in candidates.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var labels = pod.Metadata.Labels;
            if (labels is null || selector.Any(s => !labels.TryGetValue(s.Key, out var v) || v != s.Value))
            {
                continue;
            }

            if (TargetPort(pod, servicePort) is { } port)
            {
                labels.TryGetValue(ServalRouting.RevisionLabel, out var revision);
                endpoints.Add(new ProxyEndpoint(pod.Metadata.Name, revision, pod.Status.PodIP, port));
            }
        }

        return endpoints;
    }

    private static int? TargetPort(V1Pod pod, V1ServicePort servicePort)
    {
        var target = servicePort.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
        {
            return servicePort.Port;
        }

        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return pod.Spec?.Containers?
            .SelectMany(c => c.Ports ?? [])
            .FirstOrDefault(p => string.Equals(p.Name, target, StringComparison.Ordinal))?.ContainerPort;
    }
}
