using k8s;
using k8s.Models;
using Serval.Controllers.Cache;

namespace Serval.Controllers.Reconciliation;

/// <summary>Watched kind: a change queues whatever the map function names (for both states of an update).</summary>
internal sealed class EnqueueMapped<TOther>(IEnqueuer target, Func<TOther, IEnumerable<ObjectKey>> map) : IInformerHandler<TOther>
    where TOther : class, IKubernetesObject<V1ObjectMeta>
{
    public void OnAdd(TOther obj) => EnqueueAll(obj);

    public void OnUpdate(TOther oldObj, TOther newObj)
    {
        EnqueueAll(oldObj);
        EnqueueAll(newObj);
    }

    public void OnDelete(TOther obj) => EnqueueAll(obj);

    private void EnqueueAll(TOther obj)
    {
        foreach (var key in map(obj))
        {
            target.Enqueue(key);
        }
    }
}
