namespace Serval.Operator.Rollout.Canary;

/// <summary>
/// The traffic split by replica ratio, used without a Gateway: the top-level Service selects the pods of both
/// revisions, so each revision's share is its share of the ready pods.
/// </summary>
/// <remarks>
/// The canary gets <c>max(1, round(total × weight))</c> of the <c>total</c> pods across both revisions. The
/// stable revision keeps all its replicas (its HPA still owns them, and a rollback must find it at full capacity),
/// so the canary's pods come on top: with <c>S</c> stable pods, <c>total = S + canary</c>, which gives
/// <c>canary = max(1, round(S × weight / (1 − weight)))</c>. Small services cannot reach small weights (one stable
/// pod and one canary pod is 50 %); the status reports the share achieved, never the wish.
/// </remarks>
internal static class ReplicaSplit
{
    /// <summary>The canary's replicas for a weight.</summary>
    /// <param name="stableReplicas">The stable revision's replicas.</param>
    /// <param name="canaryPercent">The canary's weight, 0 to 100.</param>
    /// <param name="maxReplicas">The most replicas one revision may have (<c>autoscaling.maxReplicas</c>).</param>
    public static int CanaryReplicas(int stableReplicas, int canaryPercent, int maxReplicas)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stableReplicas);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReplicas, 1);
        if (canaryPercent <= 0)
        {
            return 0;
        }

        if (canaryPercent >= 100 || stableReplicas == 0)
        {
            return Math.Clamp(stableReplicas, 1, maxReplicas);
        }

        var weight = canaryPercent / 100.0;
        var replicas = (int)Math.Round(stableReplicas * weight / (1 - weight), MidpointRounding.AwayFromZero);
        return Math.Clamp(replicas, 1, maxReplicas);
    }

    /// <summary>The share of traffic the canary really gets, in percent, from the ready pods behind the top-level Service.</summary>
    /// <param name="stableReady">Ready stable pods.</param>
    /// <param name="canaryReady">Ready canary pods.</param>
    /// <param name="canaryPercent">The canary's weight: 0 keeps its pods out of the Service, 100 keeps the stable ones out.</param>
    public static int AchievedPercent(int stableReady, int canaryReady, int canaryPercent)
    {
        if (canaryPercent <= 0 || canaryReady <= 0)
        {
            return 0;
        }

        if (canaryPercent >= 100 || stableReady <= 0)
        {
            return 100;
        }

        return (int)Math.Round(100.0 * canaryReady / (canaryReady + stableReady), MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// The canary's weight in an HTTPRoute: exactly the wish while the canary is ready, 0 while it is not (a route
    /// never sends traffic to a revision that cannot answer).
    /// </summary>
    public static int RouteWeight(int canaryPercent, bool canaryReady) => canaryReady ? Math.Clamp(canaryPercent, 0, 100) : 0;
}
