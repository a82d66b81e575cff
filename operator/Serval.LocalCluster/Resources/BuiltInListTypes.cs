namespace Serval.LocalCluster.Resources;

/// <summary>
/// The merge keys of built-in kinds (their Go types' patchMergeKey and listMapKeys) for the lists kubectl's apply
/// and server-side apply touch; any other list is atomic.
/// </summary>
internal sealed class BuiltInListTypes(string kind) : IListTypes
{
    private static readonly Dictionary<string, string> TcpProtocol = new(StringComparer.Ordinal) { ["protocol"] = "TCP" };

    public ListType Resolve(IReadOnlyList<string> path)
    {
        if (path.Count == 0)
        {
            return ListType.Atomic;
        }

        var field = path[^1];
        var parent = path.Count > 1 ? path[^2] : string.Empty;
        if (path is ["metadata", "finalizers"])
        {
            return ListType.Set;
        }

        if (path is ["metadata", "ownerReferences"])
        {
            return ListType.Map("uid");
        }

        return field switch
        {
            "containers" or "initContainers" or "ephemeralContainers" => ListType.Map("name"),
            "ports" when parent is "containers" or "initContainers" or "ephemeralContainers" =>
                ListType.Map("containerPort", "containerPort", "protocol") with { KeyDefaults = TcpProtocol },
            "ports" when kind == "Service" && path is ["spec", "ports"] => ListType.Map("port", "port", "protocol") with { KeyDefaults = TcpProtocol },
            "env" or "volumes" or "imagePullSecrets" or "resourceClaims" => ListType.Map("name"),
            "volumeMounts" => ListType.Map("mountPath"),
            "volumeDevices" => ListType.Map("devicePath"),
            "hostAliases" => ListType.Map("ip"),
            "conditions" => ListType.Map("type"),
            "topologySpreadConstraints" => ListType.Map("topologyKey", "topologyKey", "whenUnsatisfiable"),
            _ => ListType.Atomic,
        };
    }
}
