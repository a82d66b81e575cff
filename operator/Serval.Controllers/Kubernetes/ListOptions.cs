namespace Serval.Controllers.Kubernetes;

/// <summary>How to list a kind: one page of at most <see cref="Limit"/> items, optionally continuing an earlier list.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Page size; null lists everything in one response.</summary>
    public int? Limit { get; init; }

    /// <summary>The continue token of the previous page.</summary>
    public string? Continue { get; init; }

    /// <summary>Null or empty for the latest state; "0" lets the server answer from its cache.</summary>
    public string? ResourceVersion { get; init; }
}
