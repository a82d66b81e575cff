namespace Serval.Controllers.Reconciliation;

/// <summary>How a reconcile ended, and so what the work queue does next.</summary>
public enum ReconcileOutcome
{
    /// <summary>Done: the item's backoff is forgotten.</summary>
    Success,

    /// <summary>Done for now, look again after a delay: backoff forgotten, item re-added after the delay.</summary>
    RequeueAfter,

    /// <summary>Not done, but nothing failed: retried with the item's backoff.</summary>
    Requeue,

    /// <summary>Failed: retried with the item's backoff.</summary>
    Error,
}
