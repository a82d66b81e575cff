using k8s;
using k8s.Models;
using Serval.Controllers.Cache;

namespace Serval.Controllers.Reconciliation;

/// <summary>Primary kind: every change queues the object itself.</summary>
internal sealed class EnqueueForObject<T>(IEnqueuer target) : IInformerHandler<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public void OnAdd(T obj) => target.Enqueue(ObjectKey.Of(obj));

    public void OnUpdate(T oldObj, T newObj) => target.Enqueue(ObjectKey.Of(newObj));

    public void OnDelete(T obj) => target.Enqueue(ObjectKey.Of(obj));
}
