using Serval.LocalCluster.Resources.Strategies;
using Serval.LocalCluster.Tables;

namespace Serval.LocalCluster.Resources;

/// <summary>The built-in kinds the local cluster serves: those Serval, kubectl and helm touch.</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ResourceType> Create(ServiceStrategy services) =>
        Types(services).Select(t => t with { ListTypes = new BuiltInListTypes(t.Kind), Model = Model(t) }).ToList();

    /// <summary>The KubernetesClient model of a built-in kind (V1Deployment, V2HorizontalPodAutoscaler, Eventsv1Event, ...).</summary>
    private static Type? Model(ResourceType type)
    {
        var prefix = type.Group switch
        {
            "events.k8s.io" => "Eventsv1",
            "" when type.Kind == "Event" => "Corev1",
            _ => type.Version.ToUpperInvariant()[..1] + type.Version[1..],
        };
        return typeof(k8s.Models.V1Pod).Assembly.GetType($"k8s.Models.{prefix}{type.Kind}");
    }

    private static IReadOnlyList<ResourceType> Types(ServiceStrategy services) =>
    [
        Core("Namespace", "namespaces", ["ns"], namespaced: false, hasStatus: true, columns: BuiltInColumns.Namespaces,
            strategy: NamespaceStrategy.Instance, nameFormat: NameFormat.Dns1123Label, selectable: ["status.phase"]),
        Core("Pod", "pods", ["po"], hasStatus: true, columns: BuiltInColumns.Pods, strategy: PodStrategy.Instance, categories: ["all"],
            returnDeleted: true, selectable: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                "status.phase", "status.podIP", "status.nominatedNodeName"]),
        Core("Service", "services", ["svc"], hasStatus: true, columns: BuiltInColumns.Services, strategy: services, categories: ["all"],
            returnDeleted: true, nameFormat: NameFormat.Dns1123Label),
        Core("Endpoints", "endpoints", ["ep"]),
        Core("ConfigMap", "configmaps", ["cm"], columns: BuiltInColumns.ConfigMaps),
        Core("Secret", "secrets", [], columns: BuiltInColumns.Secrets, strategy: SecretStrategy.Instance, selectable: ["type"]),
        Core("Event", "events", ["ev"], columns: BuiltInColumns.Events, selectable:
            ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
                "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"]),
        Core("ServiceAccount", "serviceaccounts", ["sa"]),
        Core("Node", "nodes", ["no"], namespaced: false, hasStatus: true, returnDeleted: true),
        Core("PersistentVolumeClaim", "persistentvolumeclaims", ["pvc"], hasStatus: true, returnDeleted: true),
        Apps("Deployment", "deployments", ["deploy"], BuiltInColumns.Deployments),
        Apps("ReplicaSet", "replicasets", ["rs"], BuiltInColumns.ReplicaSets),
        new ResourceType
        {
            Group = "autoscaling", Version = "v2", Kind = "HorizontalPodAutoscaler", Plural = "horizontalpodautoscalers",
            Singular = "horizontalpodautoscaler", Namespaced = true, ShortNames = ["hpa"], Categories = ["all"], HasStatus = true,
            TracksGeneration = true, Columns = BuiltInColumns.HorizontalPodAutoscalers,
        },
        Simple("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", ["pdb"], namespaced: true, hasStatus: true, generation: true),
        Simple("coordination.k8s.io", "v1", "Lease", "leases", [], namespaced: true),
        Simple("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", [], namespaced: true),
        Simple("events.k8s.io", "v1", "Event", "events", ["ev"], namespaced: true) with
        {
            StoredAs = "events",
            IsStorageVersion = false,
            Conversion = EventConversion.Instance,
        },
        new ResourceType
        {
            Group = "apiextensions.k8s.io", Version = "v1", Kind = "CustomResourceDefinition", Plural = "customresourcedefinitions",
            Singular = "customresourcedefinition", Namespaced = false, ShortNames = ["crd", "crds"], Categories = ["api-extensions"],
            HasStatus = true, TracksGeneration = true, Columns = BuiltInColumns.CustomResourceDefinitions,
            Strategy = CustomResourceDefinitionStrategy.Instance,
        },
        Simple("apiregistration.k8s.io", "v1", "APIService", "apiservices", [], namespaced: false, hasStatus: true, categories: ["api-extensions"]),
        Simple("rbac.authorization.k8s.io", "v1", "Role", "roles", [], namespaced: true, nameFormat: NameFormat.PathSegment),
        Simple("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", [], namespaced: true, nameFormat: NameFormat.PathSegment),
        Simple("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", [], namespaced: false, nameFormat: NameFormat.PathSegment),
        Simple("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", [], namespaced: false,
            nameFormat: NameFormat.PathSegment),
        Review("SelfSubjectAccessReview", "selfsubjectaccessreviews"),
        Review("SubjectAccessReview", "subjectaccessreviews"),
        Simple("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", ["netpol"], namespaced: true, generation: true),
        Simple("networking.k8s.io", "v1", "Ingress", "ingresses", ["ing"], namespaced: true, hasStatus: true, generation: true),
    ];

    private static ResourceType Core(string kind, string plural, IReadOnlyList<string> shortNames, bool namespaced = true,
        bool hasStatus = false, IReadOnlyList<PrinterColumn>? columns = null, IResourceStrategy? strategy = null,
        IReadOnlyList<string>? categories = null, bool returnDeleted = false, NameFormat nameFormat = NameFormat.Dns1123Subdomain,
        IReadOnlyList<string>? selectable = null) => new()
        {
            Group = string.Empty,
            Version = "v1",
            Kind = kind,
            Plural = plural,
            Singular = kind.ToLowerInvariant(),
            Namespaced = namespaced,
            ShortNames = shortNames,
            Categories = categories ?? [],
            HasStatus = hasStatus,
            Columns = columns ?? BuiltInColumns.Default,
            Strategy = strategy ?? GenericStrategy.Instance,
            ReturnDeletedObject = returnDeleted,
            NameFormat = nameFormat,
            SelectableFields = selectable ?? [],
        };

    private static ResourceType Apps(string kind, string plural, IReadOnlyList<string> shortNames, IReadOnlyList<PrinterColumn> columns) => new()
    {
        Group = "apps",
        Version = "v1",
        Kind = kind,
        Plural = plural,
        Singular = kind.ToLowerInvariant(),
        Namespaced = true,
        ShortNames = shortNames,
        Categories = ["all"],
        HasStatus = true,
        TracksGeneration = true,
        Scale = new ScaleSubresource("spec.replicas", "status.replicas", "spec.selector"),
        Columns = columns,
        Strategy = WorkloadStrategy.Instance,
        SelectableFields = kind == "ReplicaSet" ? ["status.replicas"] : [],
    };

    /// <summary>Access reviews are answered, never stored: every request is allowed here.</summary>
    private static ResourceType Review(string kind, string plural) => new()
    {
        Group = "authorization.k8s.io",
        Version = "v1",
        Kind = kind,
        Plural = plural,
        Singular = kind.ToLowerInvariant(),
        Namespaced = false,
        Verbs = ["create"],
        IsReview = true,
    };

    private static ResourceType Simple(string group, string version, string kind, string plural, IReadOnlyList<string> shortNames,
        bool namespaced, bool hasStatus = false, bool generation = false, IReadOnlyList<string>? categories = null,
        NameFormat nameFormat = NameFormat.Dns1123Subdomain) => new()
        {
            Group = group,
            Version = version,
            Kind = kind,
            Plural = plural,
            Singular = kind.ToLowerInvariant(),
            Namespaced = namespaced,
            ShortNames = shortNames,
            Categories = categories ?? [],
            HasStatus = hasStatus,
            TracksGeneration = generation,
            NameFormat = nameFormat,
        };
}
