using k8s.Models;
using Serval.Controllers.Ownership;
using Serval.Api.V1Alpha1;
using Serval.Operator.Revisions;
using Serval.Operator.Workloads;

namespace Serval.Operator.Networking;

/// <summary>
/// The Services: one per revision (<c>&lt;isvc&gt;-&lt;hash&gt;</c>, the backend an HTTPRoute weighs) and the
/// top-level <c>&lt;isvc&gt;</c> clients call.
/// </summary>
/// <remarks>
/// Without a Gateway the split is by replica ratio: the top-level Service selects the pods of every revision
/// that gets traffic. With one such revision it selects that revision's pods alone; with two (a canary between
/// 1 and 99 %) it selects the InferenceService's label only, so both revisions' pods serve in proportion to
/// their replicas. Pod templates never change with traffic, so moving traffic never restarts pods. The Service
/// is annotated with the stable and canary revision hashes so a proxy can pin a request by the
/// <c>serval-revision</c> header.
/// </remarks>
public static class ServiceBuilder
{
    public const int Port = 80;

    /// <summary>The Service of one revision.</summary>
    public static V1Service Revision(Revision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = revision.ChildMetadata(),
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                Selector = revision.Labels(),
                Ports = [HttpPort()],
            },
        };
    }

    /// <summary>The top-level Service for the traffic split <paramref name="traffic"/>.</summary>
    public static V1Service TopLevel(InferenceService owner, TrafficSplit traffic)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(traffic);
        var name = owner.Metadata.Name;
        var selector = new Dictionary<string, string>(StringComparer.Ordinal) { [ServalLabels.InferenceService] = name };
        var serving = traffic.Serving().ToList();
        if (serving.Count == 1)
        {
            selector[ServalLabels.Revision] = serving[0];
        }
        else if (serving.Count == 0 && traffic.Stable is { } stable)
        {
            selector[ServalLabels.Revision] = stable;
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (traffic.Stable is { } stableHash)
        {
            annotations[ServalLabels.StableRevisionAnnotation] = stableHash;
        }

        if (traffic.Canary is { } canaryHash)
        {
            annotations[ServalLabels.CanaryRevisionAnnotation] = canaryHash;
        }

        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = owner.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [ServalLabels.InferenceService] = name },
                Annotations = annotations.Count > 0 ? annotations : null,
                OwnerReferences = [OwnerReferences.ControllerReference(owner)],
            },
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                Selector = selector,
                Ports = [HttpPort()],
            },
        };
    }

    private static V1ServicePort HttpPort() => new()
    {
        Name = WorkerContainer.PortName,
        Port = Port,
        TargetPort = WorkerContainer.PortName,
        Protocol = "TCP",
    };
}
