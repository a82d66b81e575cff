namespace Serval.Controllers.Reconciliation;

/// <summary>What a reconcile tells the controller: success, look again later, or retry with backoff.</summary>
public sealed record ReconcileResult
{
    private ReconcileResult(ReconcileOutcome outcome, TimeSpan delay, string? message)
    {
        Outcome = outcome;
        Delay = delay;
        Message = message;
    }

    public static ReconcileResult Success { get; } = new(ReconcileOutcome.Success, TimeSpan.Zero, null);

    /// <summary>Retry with the item's backoff without calling it an error.</summary>
    public static ReconcileResult Requeue { get; } = new(ReconcileOutcome.Requeue, TimeSpan.Zero, null);

    public ReconcileOutcome Outcome { get; }

    /// <summary>For <see cref="ReconcileOutcome.RequeueAfter"/>, how long to wait.</summary>
    public TimeSpan Delay { get; }

    /// <summary>For <see cref="ReconcileOutcome.Error"/>, what went wrong.</summary>
    public string? Message { get; }

    /// <summary>Look again after <paramref name="delay"/> (for time-driven work such as canary steps).</summary>
    public static ReconcileResult RequeueAfter(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, $"A requeue delay must be positive, got {delay}.");
        }

        return new ReconcileResult(ReconcileOutcome.RequeueAfter, delay, null);
    }

    /// <summary>Failed; retry with backoff.</summary>
    public static ReconcileResult Error(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new ReconcileResult(ReconcileOutcome.Error, TimeSpan.Zero, message);
    }

    /// <summary>The metric label of this outcome: success, requeue or error.</summary>
    public string MetricResult => Outcome switch
    {
        ReconcileOutcome.Success => "success",
        ReconcileOutcome.Error => "error",
        _ => "requeue",
    };
}
