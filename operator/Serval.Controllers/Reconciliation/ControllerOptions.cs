using Serval.Controllers.Queue;
using Serval.Controllers.Cache;

namespace Serval.Controllers.Reconciliation;

/// <summary>How one controller runs its reconciler.</summary>
public sealed class ControllerOptions
{
    /// <summary>Reconciles that may run at once (never two for the same object).</summary>
    public int MaxConcurrentReconciles { get; set; } = 1;

    /// <summary>Re-queue every cached primary object this often; null never does.</summary>
    public TimeSpan? ResyncPeriod { get; set; }

    /// <summary>Builds the work queue's rate limiter; null uses <see cref="WorkQueueRateLimiters.Default{T}"/>.</summary>
    public Func<TimeProvider, IWorkQueueRateLimiter<ObjectKey>>? RateLimiter { get; set; }

    /// <summary>Throws with the option and value when one is unusable.</summary>
    public void Validate(string controller)
    {
        if (MaxConcurrentReconciles < 1 || MaxConcurrentReconciles > 1024)
        {
            throw new ArgumentException(
                $"Controller '{controller}': {nameof(ControllerOptions)}.{nameof(MaxConcurrentReconciles)} must be 1..1024, got {MaxConcurrentReconciles}.");
        }

        if (ResyncPeriod is { } period && period < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException(
                $"Controller '{controller}': {nameof(ControllerOptions)}.{nameof(ResyncPeriod)} must be null or at least 1 s, got {period}.");
        }
    }
}
