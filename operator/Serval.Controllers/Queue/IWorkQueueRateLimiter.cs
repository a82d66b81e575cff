namespace Serval.Controllers.Queue;

/// <summary>Decides how long an item waits before it is retried.</summary>
/// <typeparam name="T">The queue's item type.</typeparam>
public interface IWorkQueueRateLimiter<in T>
    where T : notnull
{
    /// <summary>Records one more failure of <paramref name="item"/> and returns how long it should wait.</summary>
    TimeSpan When(T item);

    /// <summary>Forgets the item's failures: its next <see cref="When"/> starts from the shortest delay.</summary>
    void Forget(T item);

    /// <summary>How many times the item has been retried since it was last forgotten.</summary>
    int NumRequeues(T item);
}
