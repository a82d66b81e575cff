namespace Serval.Controllers.Queue;

/// <summary>What <see cref="RateLimitingQueue{T}.GetAsync"/> hands a worker: an item, or word that the queue shut down.</summary>
/// <typeparam name="T">The queue's item type.</typeparam>
public readonly struct QueueItem<T> : IEquatable<QueueItem<T>>
    where T : notnull
{
    private readonly T? _item;

    private QueueItem(T? item, bool shuttingDown)
    {
        _item = item;
        ShuttingDown = shuttingDown;
    }

    /// <summary>True when the queue shut down and has nothing more to hand out; the worker should stop.</summary>
    public bool ShuttingDown { get; }

    /// <summary>The item to process; the worker must call <see cref="RateLimitingQueue{T}.Done"/> with it.</summary>
    public T Item => ShuttingDown || _item is null
        ? throw new InvalidOperationException("The queue is shutting down: there is no item.")
        : _item;

    internal static QueueItem<T> Of(T item) => new(item, shuttingDown: false);

    internal static QueueItem<T> Shutdown => new(default, shuttingDown: true);

    public bool Equals(QueueItem<T> other) =>
        ShuttingDown == other.ShuttingDown && EqualityComparer<T?>.Default.Equals(_item, other._item);

    public override bool Equals(object? obj) => obj is QueueItem<T> other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(ShuttingDown, _item);

    public static bool operator ==(QueueItem<T> left, QueueItem<T> right) => left.Equals(right);

    public static bool operator !=(QueueItem<T> left, QueueItem<T> right) => !left.Equals(right);
}
