using k8s.Models;

namespace Serval.LocalCluster.Tests.Proxy;

/// <summary>Services, pods and routes shaped as the operator and the local kubelet make them.</summary>
internal static class ProxyObjects
{
    public const string IsvcLabel = "serval.dev/inferenceservice";
    public const string RevisionLabel = "serval.dev/revision";

    public static V1Service TopLevel(string isvc, string? stable = null, string? canary = null, string? selectRevision = null)
    {
        var selector = new Dictionary<string, string> { [IsvcLabel] = isvc };
        if (selectRevision is not null)
        {
            selector[RevisionLabel] = selectRevision;
        }

        var annotations = new Dictionary<string, string>();
        if (stable is not null)
        {
            annotations["serval.dev/stable-revision"] = stable;
        }

        if (canary is not null)
        {
            annotations["serval.dev/canary-revision"] = canary;
        }

        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = isvc,
                NamespaceProperty = "default",
                Labels = new Dictionary<string, string> { [IsvcLabel] = isvc },
                Annotations = annotations.Count > 0 ? annotations : null,
            },
            Spec = new V1ServiceSpec
            {
                Selector = selector,
                Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }],
            },
        };
    }

    public static V1Service RevisionService(string isvc, string revision) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = $"{isvc}-{revision}",
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { [IsvcLabel] = isvc, [RevisionLabel] = revision },
        },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { [IsvcLabel] = isvc, [RevisionLabel] = revision },
            Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }],
        },
    };

    public static V1Pod Pod(string name, string isvc, string revision, int port, bool ready = true) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { [IsvcLabel] = isvc, [RevisionLabel] = revision },
        },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "worker", Image = "serval-worker", Ports = [new V1ContainerPort { Name = "http", ContainerPort = port }] }],
        },
        Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = "127.0.0.1",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };
}
