namespace Serval.Operator.Networking;

/// <summary>
/// Who gets traffic: the stable revision's hash and, during a rollout, the canary's hash and its share.
/// The stable revision gets the rest.
/// </summary>
public sealed record TrafficSplit(string? Stable, string? Canary, int CanaryPercent)
{
    /// <summary>The stable revision's share, in percent.</summary>
    public int StablePercent => Stable is null ? 0 : Canary is null ? 100 : 100 - CanaryPercent;

    /// <summary>The revisions with a share above zero, stable first.</summary>
    public IEnumerable<string> Serving()
    {
        if (Stable is { } stable && StablePercent > 0)
        {
            yield return stable;
        }

        if (Canary is { } canary && CanaryPercent > 0)
        {
            yield return canary;
        }
    }
}
