namespace Serval.Operator.Rollout.Canary;

/// <summary>One check of the canary against <c>rollout.analysis</c>, with the figures it was judged on.</summary>
/// <param name="Kind">Passed, Failed or Inconclusive.</param>
/// <param name="ErrorRatePercent">The canary's error rate over the window, or null without figures.</param>
/// <param name="LatencyP95Milliseconds">The canary's p95 over the window, or null.</param>
/// <param name="StableLatencyP95Milliseconds">The stable revision's p95 over the same interval, or null.</param>
/// <param name="Requests">Requests the canary served in the window.</param>
/// <param name="Message">The figures for people, e.g. "p95 412 ms &gt; 200 ms over 60 s, 1,920 requests".</param>
/// <param name="CheckedAt">When the check ran.</param>
internal sealed record AnalysisVerdict(
    AnalysisVerdictKind Kind,
    double? ErrorRatePercent,
    double? LatencyP95Milliseconds,
    double? StableLatencyP95Milliseconds,
    long Requests,
    string Message,
    DateTimeOffset CheckedAt);
