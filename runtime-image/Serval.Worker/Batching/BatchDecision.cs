namespace Serval.Worker.Batching;

/// <summary>
/// What the batcher does next: run the queued requests at <see cref="Selected"/> (queue
/// positions, in order), or wait until <see cref="WaitUntil"/> for more to join.
/// </summary>
internal readonly record struct BatchDecision(IReadOnlyList<int>? Selected, long WaitUntil)
{
    public bool Dispatch => Selected is not null;

    public static BatchDecision Run(IReadOnlyList<int> selected) => new(selected, 0);

    public static BatchDecision Wait(long until) => new(null, until);
}
