using k8s;
using k8s.Models;

namespace Serval.Controllers.Cache;

/// <summary>
/// What reconcilers read instead of the API server: an informer's cache of one kind. The
/// objects are shared with every other reader: treat them as read-only (copy before changing).
/// </summary>
/// <typeparam name="T">The kind.</typeparam>
public interface ICacheReader<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>True once the first full list has been loaded.</summary>
    bool HasSynced { get; }

    /// <summary>The object, or null when the cache does not hold it.</summary>
    T? Get(string? ns, string name);

    /// <summary>Objects in <paramref name="ns"/> (all namespaces when null) that match <paramref name="selector"/>.</summary>
    IReadOnlyList<T> List(string? ns = null, LabelSelector? selector = null);

    /// <summary>Objects whose index <paramref name="indexName"/> holds <paramref name="value"/>.</summary>
    IReadOnlyList<T> ByIndex(string indexName, string value);
}
