using k8s;
using k8s.Models;

namespace Serval.Controllers.Cache;

/// <summary>Names one object: namespace (null when cluster-scoped) and name.</summary>
public sealed record ObjectKey(string? Namespace, string Name)
{
    /// <summary>The key of <paramref name="obj"/>.</summary>
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var name = obj.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"A {obj.Kind ?? "object"} without metadata.name has no key.", nameof(obj));
        }

        var ns = obj.Metadata!.NamespaceProperty;
        return new ObjectKey(string.IsNullOrEmpty(ns) ? null : ns, name);
    }

    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
