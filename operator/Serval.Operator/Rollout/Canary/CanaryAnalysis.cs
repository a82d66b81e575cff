using System.Globalization;
using Serval.Api.V1Alpha1;

namespace Serval.Operator.Rollout.Canary;

/// <summary>
/// Judges a canary's window against <c>rollout.analysis</c>: error rate first (a failing model shows there
/// before anywhere else), then the absolute p95 limit, then p95 relative to the stable revision when a margin is set
/// and the stable revision served requests in the same interval. Fewer than minRequests is never a pass.
/// </summary>
internal static class CanaryAnalysis
{
    /// <summary>Checks one window.</summary>
    public static AnalysisVerdict Judge(ResolvedAnalysis analysis, RevisionWindow? canary, RevisionWindow? stable, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (canary is null)
        {
            return new AnalysisVerdict(AnalysisVerdictKind.Inconclusive, null, null, null, 0,
                "no figures from the canary yet", now);
        }

        var stableP95 = stable is { Requests: > 0 } ? stable.LatencyP95Milliseconds : null;
        var over = Over(canary);
        if (canary.Requests < analysis.MinRequests || canary.Requests == 0)
        {
            return Verdict(AnalysisVerdictKind.Inconclusive,
                $"{Count(canary.Requests)} of {Count(analysis.MinRequests)} requests needed {over}");
        }

        var errorRate = canary.ErrorRatePercent;
        if (errorRate > analysis.MaxErrorRatePercent)
        {
            return Verdict(AnalysisVerdictKind.Failed,
                $"error rate {Percent(errorRate)} % > {Percent(analysis.MaxErrorRatePercent)} % {over}, {Requests(canary.Requests)}");
        }

        if (canary.LatencyP95Milliseconds is { } p95)
        {
            if (p95 > analysis.MaxLatencyP95Milliseconds)
            {
                return Verdict(AnalysisVerdictKind.Failed,
                    $"p95 {Millis(p95)} ms > {Millis(analysis.MaxLatencyP95Milliseconds)} ms {over}, {Requests(canary.Requests)}");
            }

            if (analysis.MaxLatencyP95IncreasePercent is { } margin && stableP95 is { } reference)
            {
                var limit = reference * (1 + (margin / 100));
                if (p95 > limit)
                {
                    return Verdict(AnalysisVerdictKind.Failed,
                        $"p95 {Millis(p95)} ms > {Millis(limit)} ms (stable p95 {Millis(reference)} ms + {Percent(margin)} %) {over}, {Requests(canary.Requests)}");
                }
            }
        }

        var latency = canary.LatencyP95Milliseconds is { } value ? $", p95 {Millis(value)} ms" : string.Empty;
        return Verdict(AnalysisVerdictKind.Passed,
            $"error rate {Percent(errorRate)} %{latency} {over}, {Requests(canary.Requests)}");

        AnalysisVerdict Verdict(AnalysisVerdictKind kind, string message) =>
            new(kind, canary.ErrorRatePercent, canary.LatencyP95Milliseconds, stableP95, canary.Requests, message, now);
    }

    private static string Over(RevisionWindow window) =>
        $"over {Math.Round(window.Duration.TotalSeconds).ToString("0", CultureInfo.InvariantCulture)} s";

    private static string Requests(long count) => count == 1 ? "1 request" : $"{Count(count)} requests";

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Millis(double value) => value.ToString("0", CultureInfo.InvariantCulture);
}
