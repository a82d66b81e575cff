namespace Serval.LocalCluster.Faults;

/// <summary>
/// A programmed fault. Null match fields match anything. A matching request waits <see cref="Latency"/>, then, when
/// <see cref="StatusCode"/> is set, is answered with that status (500 InternalError, 429 TooManyRequests with
/// Retry-After, 409 Conflict, ...) instead of being served. <see cref="Percent"/> picks that share of matching requests
/// (seeded, so runs repeat); <see cref="Times"/> limits how many requests the rule hits before it retires.
/// </summary>
public sealed record FaultRule
{
    public string? Verb { get; init; }

    public string? Resource { get; init; }

    public string? Group { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public string? Subresource { get; init; }

    public TimeSpan Latency { get; init; }

    public int? StatusCode { get; init; }

    public double Percent { get; init; } = 100;

    public int? Times { get; init; }

    public string? Message { get; init; }

    public int RetryAfterSeconds { get; init; } = 1;
}
