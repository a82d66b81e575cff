using System.Collections.Immutable;

namespace Serval.Operator.Autoscaling;

/// <summary>What one decision carries to the next: the panic episode and the recent recommendations.</summary>
/// <param name="PanicSince">When panic was last (re)armed, or null outside panic.</param>
/// <param name="PanicDesired">The highest count asked for during this panic: panic never scales down.</param>
/// <param name="Recent">Recommendations within the scale-down delay that may still be its highest: oldest and highest first.</param>
internal sealed record AutoscaleState(
    DateTimeOffset? PanicSince,
    int PanicDesired,
    ImmutableList<Recommendation> Recent)
{
    /// <summary>No history.</summary>
    public static AutoscaleState Initial { get; } = new(null, 0, []);
}
