using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Serval.Controllers.Ownership;
using Serval.LocalCluster.Local.Processes;
using Serval.LocalCluster.Local.Workloads;

namespace Serval.LocalCluster.Local.Endpoints;

/// <summary>
/// The Endpoints and EndpointSlices of a Service from the pods its selector matches. Every local pod has the
/// address 127.0.0.1 and its own port, so pods are grouped by their resolved ports: one Endpoints subset and one
/// EndpointSlice per group. A named targetPort is looked up on each pod (where local mode wrote the real port).
/// Pure.
/// </summary>
public static class EndpointsBuilder
{
    /// <summary>The label naming an EndpointSlice's Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>The label naming the controller that manages an EndpointSlice.</summary>
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";

    /// <summary>Our value of <see cref="ManagedByLabel"/>.</summary>
    public const string ManagedBy = "serval-local-endpointslice-controller";

    public static (V1Endpoints Endpoints, IReadOnlyList<V1EndpointSlice> Slices) Build(V1Service service, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(pods);
        var groups = new Dictionary<string, (List<(string? Name, int Port, string Protocol)> Ports, List<(V1Pod Pod, bool Ready)> Pods)>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(PodState.IsActive).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            if (pod.Status?.PodIP is null)
            {
                continue;
            }

            var ports = new List<(string? Name, int Port, string Protocol)>();
            foreach (var servicePort in service.Spec?.Ports ?? [])
            {
                if (ResolvePort(pod, servicePort) is { } port)
                {
                    ports.Add((servicePort.Name, port, servicePort.Protocol ?? "TCP"));
                }
            }

            if (ports.Count == 0 && service.Spec?.Ports is { Count: > 0 })
            {
                continue;
            }

            var key = string.Join(";", ports.Select(p => $"{p.Name}/{p.Port.ToString(CultureInfo.InvariantCulture)}/{p.Protocol}"));
            if (!groups.TryGetValue(key, out var group))
            {
                group = (ports, []);
                groups[key] = group;
            }

            group.Pods.Add((pod, PodState.IsReady(pod)));
        }

        var ns = service.Metadata.NamespaceProperty;
        var endpoints = new V1Endpoints
        {
            ApiVersion = "v1",
            Kind = "Endpoints",
            Metadata = new V1ObjectMeta { Name = service.Metadata.Name, NamespaceProperty = ns, Labels = service.Metadata.Labels },
            Subsets = [.. groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new V1EndpointSubset
            {
                Addresses = NullIfEmpty(g.Value.Pods.Where(p => p.Ready).Select(p => Address(p.Pod)).ToList()),
                NotReadyAddresses = NullIfEmpty(g.Value.Pods.Where(p => !p.Ready).Select(p => Address(p.Pod)).ToList()),
                Ports = [.. g.Value.Ports.Select(p => new Corev1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol })],
            })],
        };

        var slices = groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var slice = new V1EndpointSlice
            {
                ApiVersion = "discovery.k8s.io/v1",
                Kind = "EndpointSlice",
                Metadata = new V1ObjectMeta
                {
                    Name = SliceName(service.Metadata.Name, g.Key),
                    NamespaceProperty = ns,
                    Labels = new Dictionary<string, string> { [ServiceNameLabel] = service.Metadata.Name, [ManagedByLabel] = ManagedBy },
                },
                AddressType = "IPv4",
                Endpoints = [.. g.Value.Pods.Select(p => new V1Endpoint
                {
                    Addresses = [p.Pod.Status.PodIP],
                    Conditions = new V1EndpointConditions { Ready = p.Ready, Serving = p.Ready, Terminating = false },
                    TargetRef = Reference(p.Pod),
                })],
                Ports = [.. g.Value.Ports.Select(p => new Discoveryv1EndpointPort { Name = p.Name ?? string.Empty, Port = p.Port, Protocol = p.Protocol })],
            };
            OwnerReferences.SetController(service, slice);
            return slice;
        }).ToList();
        return (endpoints, slices);
    }

    /// <summary>
    /// The pod's port for <paramref name="servicePort"/>: a named targetPort from the pod's container ports; a
    /// number as it is, except a number the pod does not declare, which stood for its http port before local mode
    /// moved it.
    /// </summary>
    public static int? ResolvePort(V1Pod pod, V1ServicePort servicePort)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(servicePort);
        var declared = pod.Spec?.Containers?.SelectMany(c => c.Ports ?? []).ToList() ?? [];
        var target = servicePort.TargetPort?.Value;
        if (target is null)
        {
            target = servicePort.Port.ToString(CultureInfo.InvariantCulture);
        }

        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return declared.Any(p => p.ContainerPort == number) ? number : LocalPorts.HttpPort(pod) ?? number;
        }

        return declared.FirstOrDefault(p => p.Name == target)?.ContainerPort;
    }

    private static string SliceName(string service, string key)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];
        var prefix = service.Length > 50 ? service[..50] : service;
        return $"{prefix}-{hash}";
    }

    private static V1EndpointAddress Address(V1Pod pod) => new()
    {
        Ip = pod.Status.PodIP,
        NodeName = pod.Spec?.NodeName,
        TargetRef = Reference(pod),
    };

    private static V1ObjectReference Reference(V1Pod pod) => new()
    {
        Kind = "Pod",
        Name = pod.Metadata.Name,
        NamespaceProperty = pod.Metadata.NamespaceProperty,
        Uid = pod.Metadata.Uid,
    };

    private static List<V1EndpointAddress>? NullIfEmpty(List<V1EndpointAddress> addresses) => addresses.Count == 0 ? null : addresses;
}
