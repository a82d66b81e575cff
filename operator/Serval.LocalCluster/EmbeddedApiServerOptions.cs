using Microsoft.Extensions.Logging;

namespace Serval.LocalCluster;

/// <summary>How to run the embedded API server.</summary>
public sealed record EmbeddedApiServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Where objects persist across restarts; null keeps everything in memory.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Changes kept per resource for watches that resume from a resourceVersion; older ones get 410 Expired.</summary>
    public int WatchWindow { get; init; } = 1000;

    /// <summary>How often watches that allow bookmarks get one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Serve HTTPS with a fresh self-signed certificate (its CA goes into the kubeconfig).</summary>
    public bool UseTls { get; init; }

    /// <summary>Requests the <see cref="Requests.RequestLog"/> keeps before dropping the oldest.</summary>
    public int RequestLogCapacity { get; init; } = 100_000;

    /// <summary>Events a single watcher may fall behind by before its watch is closed.</summary>
    public int WatchQueueCapacity { get; init; } = 100_000;

    /// <summary>Seed for fault injection's percentage choices, so runs repeat.</summary>
    public int FaultSeed { get; init; } = 1;

    /// <summary>How soon after a change the state directory is rewritten.</summary>
    public TimeSpan PersistInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad option and its value.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Port must be between 0 and 65535, got {Port}", nameof(Port));
        }

        if (WatchWindow < 1)
        {
            throw new ArgumentException($"WatchWindow must be at least 1, got {WatchWindow}", nameof(WatchWindow));
        }

        if (BookmarkInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"BookmarkInterval must be positive, got {BookmarkInterval}", nameof(BookmarkInterval));
        }

        if (RequestLogCapacity < 1)
        {
            throw new ArgumentException($"RequestLogCapacity must be at least 1, got {RequestLogCapacity}", nameof(RequestLogCapacity));
        }

        if (WatchQueueCapacity < 1)
        {
            throw new ArgumentException($"WatchQueueCapacity must be at least 1, got {WatchQueueCapacity}", nameof(WatchQueueCapacity));
        }

        if (PersistInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"PersistInterval must be positive, got {PersistInterval}", nameof(PersistInterval));
        }
    }
}
