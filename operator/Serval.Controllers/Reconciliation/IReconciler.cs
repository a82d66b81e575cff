using k8s;
using k8s.Models;
using Serval.Controllers.Cache;

namespace Serval.Controllers.Reconciliation;

/// <summary>
/// Brings the world in line with one object of kind <typeparamref name="T"/>. Level-triggered and
/// idempotent: it is told only which object, reads the current state from the caches, and may be
/// called again at any time. The object may be gone (deleted); then there is nothing to do or
/// only clean-up.
/// </summary>
/// <typeparam name="T">The primary kind.</typeparam>
public interface IReconciler<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>
    /// Reconciles <paramref name="key"/>. Return <see cref="ReconcileResult.Success"/> when done,
    /// <see cref="ReconcileResult.RequeueAfter"/> to look again later, or
    /// <see cref="ReconcileResult.Error"/> (or throw) to retry with backoff.
    /// </summary>
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
