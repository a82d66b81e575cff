using k8s;
using k8s.Models;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;

namespace Serval.Controllers.Reconciliation;

/// <summary>
/// Owned kind: a change queues the object's controlling owner when that owner is of the primary
/// kind (owner reference with controller: true, same group and kind). An update that moved the
/// object to another owner queues both.
/// </summary>
internal sealed class EnqueueForOwner<TChild>(IEnqueuer target, ResourceKind ownerKind) : IInformerHandler<TChild>
    where TChild : class, IKubernetesObject<V1ObjectMeta>
{
    public void OnAdd(TChild obj) => EnqueueOwner(obj);

    public void OnUpdate(TChild oldObj, TChild newObj)
    {
        var before = Owner(oldObj);
        var after = Owner(newObj);
        if (before is not null && before != after)
        {
            target.Enqueue(before);
        }

        if (after is not null)
        {
            target.Enqueue(after);
        }
    }

    public void OnDelete(TChild obj) => EnqueueOwner(obj);

    private void EnqueueOwner(TChild obj)
    {
        if (Owner(obj) is { } owner)
        {
            target.Enqueue(owner);
        }
    }

    private ObjectKey? Owner(TChild obj)
    {
        var reference = obj.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (reference is null
            || !string.Equals(reference.Kind, ownerKind.Kind, StringComparison.Ordinal)
            || !ownerKind.IsGroupOf(reference.ApiVersion)
            || string.IsNullOrEmpty(reference.Name))
        {
            return null;
        }

        // Kubernetes forbids cross-namespace owners, so the owner shares the child's namespace.
        var ns = obj.Metadata!.NamespaceProperty;
        return new ObjectKey(string.IsNullOrEmpty(ns) ? null : ns, reference.Name);
    }
}
