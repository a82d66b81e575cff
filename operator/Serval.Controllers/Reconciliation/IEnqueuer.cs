using Serval.Controllers.Cache;

namespace Serval.Controllers.Reconciliation;

/// <summary>Where event handlers put the keys of objects to reconcile.</summary>
internal interface IEnqueuer
{
    void Enqueue(ObjectKey key);
}
