namespace Serval.Bench.Worker;

/// <summary>
/// Runs the targets compared with each other in alternating rounds rather than one after the other: on a
/// shared machine whose load drifts, every target then sees the same conditions on average. Each target is
/// warmed up once; each round gives every target a short settling time (its closed loop reaching steady
/// state, not counted) and an equal slice of the measured time. The first target of a round rotates.
/// </summary>
internal static class Interleaved
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    /// <summary>A target run: (warm-up, measured duration) to its measurement.</summary>
    public delegate Task<Measurement> Run(TimeSpan warmUp, TimeSpan duration);

    public static async Task<Measurement[]> RunAsync(IReadOnlyList<Run> targets, BenchSettings settings)
    {
        foreach (var target in targets)
        {
            await target(settings.WarmUp, TimeSpan.Zero).ConfigureAwait(false);
        }

        var parts = targets.Select(_ => new List<Measurement>()).ToArray();
        var slice = settings.Duration / settings.Rounds;
        for (var round = 0; round < settings.Rounds; round++)
        {
            for (var k = 0; k < targets.Count; k++)
            {
                var i = (round + k) % targets.Count;
                parts[i].Add(await targets[i](Settle, slice).ConfigureAwait(false));
            }
        }

        return parts.Select(Measurement.Merge).ToArray();
    }
}
