namespace Serval.Controllers.Cache;

/// <summary>How an informer lists and watches one kind.</summary>
public sealed class InformerOptions
{
    /// <summary>Watch one namespace only; null watches all.</summary>
    public string? Namespace { get; set; }

    /// <summary>Cache only objects that match this label selector (string form); null caches all.</summary>
    public string? LabelSelector { get; set; }

    /// <summary>Objects per list page.</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>
    /// Whether cached objects keep metadata.managedFields. Off by default, as controller-runtime advises: no reader
    /// needs them and they are a large share of every object written with server-side apply.
    /// </summary>
    public bool KeepManagedFields { get; set; }

    /// <summary>
    /// The server ends each watch after between this and twice this (randomised so that many
    /// informers do not reconnect together); the informer resumes from its last resourceVersion.
    /// </summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A watch that delivers neither events nor bookmarks for this long is dropped and reopened.</summary>
    public TimeSpan SilenceTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The first delay after a failed list or watch; it doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws with the option and value when one is unusable.</summary>
    public void Validate()
    {
        if (Namespace is { Length: 0 })
        {
            throw new ArgumentException($"{nameof(InformerOptions)}.{nameof(Namespace)} must be null (all namespaces) or a name, got ''.");
        }

        if (PageSize < 1)
        {
            throw new ArgumentException($"{nameof(InformerOptions)}.{nameof(PageSize)} must be at least 1, got {PageSize}.");
        }

        if (WatchTimeout < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"{nameof(InformerOptions)}.{nameof(WatchTimeout)} must be at least 1 s, got {WatchTimeout}.");
        }

        if (SilenceTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(InformerOptions)}.{nameof(SilenceTimeout)} must be positive, got {SilenceTimeout}.");
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentException(
                $"{nameof(InformerOptions)}.{nameof(InitialBackoff)} must be positive and at most {nameof(MaxBackoff)}, " +
                $"got {InitialBackoff} and {MaxBackoff}.");
        }

        try
        {
            _ = Cache.LabelSelector.Parse(LabelSelector);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{nameof(InformerOptions)}.{nameof(LabelSelector)} is invalid: {e.Message}", e);
        }
    }
}
