using System.Globalization;
using k8s.Models;

namespace Serval.LocalCluster.Local.Processes;

/// <summary>
/// The port contract of local mode: a pod's container port named <see cref="PortName"/> is rewritten, when
/// the pod is created, to a free loopback port, and its worker listens there. Anyone who reads the pod (a
/// scraper, a proxy, the Endpoints) therefore finds the real port where a cluster would have the declared one.
/// </summary>
public static class LocalPorts
{
    /// <summary>The container port that is rewritten.</summary>
    public const string PortName = "http";

    /// <summary>The annotation scrapers read; rewritten too when it named the declared port.</summary>
    public const string ScrapePortAnnotation = "prometheus.io/port";

    /// <summary>The pod's <c>http</c> container port, or null when it has none.</summary>
    public static int? HttpPort(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Spec?.Containers?
            .SelectMany(c => c.Ports ?? [])
            .FirstOrDefault(p => p.Name == PortName)?.ContainerPort;
    }

    /// <summary>
    /// Points the <c>http</c> port of <paramref name="pod"/> (not yet created) at <paramref name="port"/>;
    /// false when the pod declares no such port.
    /// </summary>
    public static bool Rewrite(V1Pod pod, int port)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var declared = pod.Spec?.Containers?.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == PortName);
        if (declared is null)
        {
            return false;
        }

        var original = declared.ContainerPort.ToString(CultureInfo.InvariantCulture);
        declared.ContainerPort = port;
        if (pod.Metadata?.Annotations is { } annotations
            && annotations.TryGetValue(ScrapePortAnnotation, out var scrape) && scrape == original)
        {
            annotations[ScrapePortAnnotation] = port.ToString(CultureInfo.InvariantCulture);
        }

        return true;
    }
}
