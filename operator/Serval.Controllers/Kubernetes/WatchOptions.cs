namespace Serval.Controllers.Kubernetes;

/// <summary>Where a watch starts and how the server should run it.</summary>
public sealed record WatchOptions
{
    /// <summary>The resourceVersion to resume from (a list's or the last event's or bookmark's).</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Ask the server for BOOKMARK events, which advance the resume point without object changes.</summary>
    public bool AllowBookmarks { get; init; } = true;

    /// <summary>The server ends the watch after this long; null leaves it to the server.</summary>
    public TimeSpan? Timeout { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }
}
