using k8s;
using k8s.LeaderElection;
using k8s.Models;

namespace Serval.Controllers.Kubernetes;

/// <summary>
/// The one seam between Serval and the Kubernetes API. Every operation is generic over the kind:
/// built-in models and custom resources alike, located by <see cref="ResourceKind.Of{T}"/>.
/// A null namespace means a cluster-scoped object (or, for list and watch, all namespaces).
/// Refusals surface as <see cref="KubernetesApiException"/>.
/// </summary>
public interface IKubernetesApi
{
    /// <summary>The field manager this client writes as.</summary>
    string FieldManager { get; }

    /// <summary>Lists one page.</summary>
    Task<ResourcePage<T>> ListAsync<T>(string? ns, ListOptions options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Watches from <see cref="WatchOptions.ResourceVersion"/>. The sequence ends when the server
    /// closes the watch; an ERROR event (410 Gone included) is yielded once and ends it.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, WatchOptions options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Reads one object; null when it does not exist.</summary>
    Task<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Creates the object in its metadata's namespace.</summary>
    Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Replaces the object (optimistic concurrency on its resourceVersion).</summary>
    Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Server-side apply of the object as the desired state of the fields it sets, with this
    /// client's field manager and force (we own what we apply).
    /// </summary>
    Task<T> ApplyAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Server-side apply of the object's <c>status</c> through the status subresource; only
    /// apiVersion, kind, name, namespace and status are sent.
    /// </summary>
    Task<T> ApplyStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Replaces the object's status through the status subresource.</summary>
    Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Patches one object (JSON merge patch unless the patch says otherwise).</summary>
    Task<T> PatchAsync<T>(string? ns, string name, V1Patch patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Sets the replicas of an object with a scale subresource (a Deployment), as an autoscaler does, but only while
    /// they are still <paramref name="from"/>: one JSON patch that tests the count before replacing it, so a stale
    /// reading never undoes a newer change. A count that moved meanwhile is refused with 422 Invalid (409 on some
    /// servers); either way nothing is written.
    /// </summary>
    Task ScaleAsync<T>(string ns, string name, int from, int to, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Deletes one object with background propagation; false when it was already gone.</summary>
    Task<bool> DeleteAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>A coordination.k8s.io/v1 Lease lock for leader election.</summary>
    ILock CreateLeaseLock(string ns, string name, string identity);
}
