using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;

namespace Serval.LocalCluster.Resources.Strategies;

/// <summary>
/// Services: a cluster IP from 10.96.0.0/12 (kept across updates), port protocol and targetPort defaults, and the
/// fields kube-apiserver fills (ipFamilies, sessionAffinity, internalTrafficPolicy).
/// </summary>
internal sealed class ServiceStrategy : IResourceStrategy
{
    private readonly Lock _lock = new();
    private readonly HashSet<uint> _used = [];
    private uint _next = 10;

    public IReadOnlyList<string> Admit(ResourceType type, JsonObject obj, JsonObject? old, AdmissionOptions options)
    {
        var spec = obj.ObjectAt("spec");
        var serviceType = spec.StringAt("type") ?? "ClusterIP";
        spec["type"] = serviceType;
        spec.TryAdd("sessionAffinity", "None");
        var errors = new FieldErrors();
        if (serviceType != "ExternalName")
        {
            spec.TryAdd("internalTrafficPolicy", "Cluster");
            spec.TryAdd("ipFamilies", new JsonArray("IPv4"));
            spec.TryAdd("ipFamilyPolicy", "SingleStack");
            var oldIp = old?.StringAtPath("spec", "clusterIP");
            var ip = spec.StringAt("clusterIP");
            if (string.IsNullOrEmpty(ip))
            {
                ip = oldIp ?? Allocate();
            }
            else if (oldIp is not null && ip != oldIp)
            {
                errors.Invalid("spec.clusterIPs[0]", ip, "may not change once set");
            }
            else if (oldIp is null && ip != "None")
            {
                Reserve(ip);
            }

            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }

        if (spec["ports"] is JsonArray ports)
        {
            for (var i = 0; i < ports.Count; i++)
            {
                if (ports[i] is not JsonObject port)
                {
                    continue;
                }

                port.TryAdd("protocol", "TCP");
                var number = port.LongAt("port");
                if (number is null or < 1 or > 65535)
                {
                    errors.Invalid($"spec.ports[{i}].port", port["port"]?.DeepClone(), "must be between 1 and 65535, inclusive");
                }
                else
                {
                    port.TryAdd("targetPort", number.Value);
                }

                if (ports.Count > 1 && string.IsNullOrEmpty(port.StringAt("name")))
                {
                    errors.Required($"spec.ports[{i}].name");
                }
            }
        }
        else if (serviceType != "ExternalName" && spec.StringAt("clusterIP") != "None")
        {
            errors.Required("spec.ports");
        }

        errors.ThrowIfAny(type, obj.StringAtPath("metadata", "name") ?? string.Empty);
        return [];
    }

    /// <summary>Marks an address as taken (objects loaded from a state directory keep theirs).</summary>
    public void Reserve(string ip)
    {
        var parts = ip.Split('.');
        if (parts.Length == 4 && parts.All(p => byte.TryParse(p, out _)))
        {
            var value = parts.Aggregate(0u, (acc, p) => (acc << 8) | byte.Parse(p, System.Globalization.CultureInfo.InvariantCulture));
            lock (_lock)
            {
                _used.Add(value);
            }
        }
    }

    private string Allocate()
    {
        const uint baseAddress = (10u << 24) | (96u << 16);
        lock (_lock)
        {
            while (!_used.Add(baseAddress + _next))
            {
                _next++;
            }

            var value = baseAddress + _next++;
            return $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}";
        }
    }
}
