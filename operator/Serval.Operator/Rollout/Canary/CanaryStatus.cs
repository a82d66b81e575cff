using k8s.Models;
using Serval.Api.V1Alpha1;

namespace Serval.Operator.Rollout.Canary;

/// <summary>
/// Moves a <see cref="CanaryState"/> into <c>status.canaryRevision</c> and back, and keeps
/// <c>status.rolloutHistory</c>. A state written and read back decides the same as before: this is what lets an
/// operator restart mid-rollout without going back to step 1 or promoting twice.
/// </summary>
internal static class CanaryStatus
{
    /// <summary>Reads the state back from status; null when status holds no rollout or one this operator cannot read.</summary>
    /// <param name="status">The stored canary status.</param>
    /// <param name="conditions">The stored conditions, where a terminal phase's reason is kept.</param>
    public static CanaryState? Read(CanaryRevisionStatus? status, IEnumerable<V1Condition>? conditions)
    {
        if (status?.Name is not { Length: > 0 } name
            || !Enum.TryParse<CanaryPhase>(status.Phase, ignoreCase: false, out var phase)
            || status.StartedAt is not { } started)
        {
            return null;
        }

        var reason = phase switch
        {
            CanaryPhase.Progressing => ConditionReasons.RolloutProgressing,
            CanaryPhase.Paused => ConditionReasons.RolloutPaused,
            CanaryPhase.Promoted => ConditionReasons.Promoted,
            _ => conditions?.FirstOrDefault(c => c.Type == ConditionTypes.RolloutHealthy)?.Reason
                 ?? (phase == CanaryPhase.Failed ? ConditionReasons.ProgressDeadlineExceeded : ConditionReasons.AnalysisFailed),
        };
        return new CanaryState(
            name,
            phase,
            Math.Max(0, status.Step ?? 0),
            Utc(started),
            status.StepStartedAt is { } stepStarted ? Utc(stepStarted) : null,
            Math.Max(0, status.FailedChecks ?? 0),
            ReadAnalysis(status.LastAnalysis),
            reason,
            status.Message ?? string.Empty);
    }

    /// <summary>Writes the state into a canary status.</summary>
    /// <param name="state">The rollout's state.</param>
    /// <param name="modelUri">The model the revision serves.</param>
    /// <param name="replicas">The revision's pods.</param>
    /// <param name="readyReplicas">Of those, the ready ones.</param>
    /// <param name="achievedTrafficPercent">The share of traffic the revision really gets (not the wish).</param>
    public static CanaryRevisionStatus Write(CanaryState state, string? modelUri, int replicas, int readyReplicas, int achievedTrafficPercent)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new CanaryRevisionStatus
        {
            Name = state.Revision,
            ModelUri = modelUri,
            Replicas = replicas,
            ReadyReplicas = readyReplicas,
            TrafficPercent = achievedTrafficPercent,
            Step = state.Step,
            Phase = state.Phase.ToString(),
            StartedAt = state.StartedAt.UtcDateTime,
            StepStartedAt = state.StepStartedAt?.UtcDateTime,
            FailedChecks = state.FailedChecks,
            LastAnalysis = WriteAnalysis(state.LastAnalysis),
            Message = state.Message,
        };
    }

    /// <summary>
    /// The history with a finished rollout added, newest first and at most <see cref="InferenceServiceStatus.RolloutHistoryLimit"/>
    /// long. A record equal to the newest one (same revision and outcome) is not added twice, so applying a decision
    /// again after a restart keeps the history as it was.
    /// </summary>
    public static IList<RolloutRecord> AddToHistory(IList<RolloutRecord>? history, RecordRollout record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var existing = history ?? [];
        var outcome = record.Outcome.ToString();
        if (existing.Count > 0 && existing[0].Revision == record.Revision && existing[0].Outcome == outcome)
        {
            return existing;
        }

        var entry = new RolloutRecord
        {
            Revision = record.Revision,
            Outcome = outcome,
            Message = record.Message,
            Time = record.Time.UtcDateTime,
        };
        return [entry, .. existing.Take(InferenceServiceStatus.RolloutHistoryLimit - 1)];
    }

    /// <summary>The RolloutHealthy condition's status, reason and message for a state (no rollout: healthy).</summary>
    public static (bool Healthy, string Reason, string Message) Health(CanaryState? state) => state switch
    {
        null => (true, ConditionReasons.AsExpected, "no rollout in progress"),
        { Phase: CanaryPhase.RolledBack or CanaryPhase.Failed, Reason: not ConditionReasons.ManualRollback } => (false, state.Reason, state.Message),
        _ => (true, state.Reason, state.Message),
    };

    private static AnalysisVerdict? ReadAnalysis(AnalysisResult? result)
    {
        if (result?.CheckedAt is not { } checkedAt)
        {
            return null;
        }

        var kind = result.Passed switch
        {
            true => AnalysisVerdictKind.Passed,
            false => AnalysisVerdictKind.Failed,
            null => AnalysisVerdictKind.Inconclusive,
        };
        return new AnalysisVerdict(kind, result.ErrorRatePercent, result.LatencyP95Milliseconds, result.StableLatencyP95Milliseconds,
            result.Requests ?? 0, result.Message ?? string.Empty, Utc(checkedAt));
    }

    private static AnalysisResult? WriteAnalysis(AnalysisVerdict? verdict) => verdict is null
        ? null
        : new AnalysisResult
        {
            ErrorRatePercent = verdict.ErrorRatePercent is { } rate ? Math.Round(rate, 3) : null,
            LatencyP95Milliseconds = verdict.LatencyP95Milliseconds is { } p95 ? Math.Round(p95, 1) : null,
            StableLatencyP95Milliseconds = verdict.StableLatencyP95Milliseconds is { } stable ? Math.Round(stable, 1) : null,
            Requests = verdict.Requests,
            Passed = verdict.Kind switch
            {
                AnalysisVerdictKind.Passed => true,
                AnalysisVerdictKind.Failed => false,
                _ => null,
            },
            Message = verdict.Message,
            CheckedAt = verdict.CheckedAt.UtcDateTime,
        };

    private static DateTimeOffset Utc(DateTime time) =>
        new(DateTime.SpecifyKind(time, time.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : time.Kind).ToUniversalTime());
}
