using k8s;
using k8s.Models;

namespace Serval.Controllers.Cache;

/// <summary>The indexes every informer cache keeps, and the functions that compute them.</summary>
public static class CacheIndexes
{
    /// <summary>Objects by namespace ("" for cluster-scoped objects).</summary>
    public const string Namespace = "namespace";

    /// <summary>Objects by the UID of their controlling owner (the owner reference with controller: true).</summary>
    public const string ControllerUid = "controller-uid";

    /// <summary>Objects by each of their labels, as <c>key=value</c>.</summary>
    public const string Label = "label";

    internal static IEnumerable<string> ByNamespace(IKubernetesObject<V1ObjectMeta> obj) =>
        [obj.Metadata?.NamespaceProperty ?? string.Empty];

    internal static IEnumerable<string> ByControllerUid(IKubernetesObject<V1ObjectMeta> obj)
    {
        var owner = obj.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        return owner?.Uid is { Length: > 0 } uid ? [uid] : [];
    }

    internal static IEnumerable<string> ByLabel(IKubernetesObject<V1ObjectMeta> obj) =>
        obj.Metadata?.Labels?.Select(l => LabelValue(l.Key, l.Value)) ?? [];

    /// <summary>The <see cref="Label"/> index value of one label.</summary>
    public static string LabelValue(string key, string value) => $"{key}={value}";
}
