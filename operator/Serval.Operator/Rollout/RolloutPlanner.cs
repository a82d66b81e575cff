using k8s;
using Serval.Api.V1Alpha1;
using Serval.Operator.Networking;
using Serval.Operator.Revisions;

namespace Serval.Operator.Rollout;

/// <summary>
/// The one place that keeps status.stableRevision and status.canaryRevision: from the spec's revision, the
/// current status, what exists and the time, it decides which revisions exist, who gets traffic and what
/// the status says. The first revision is stable at once; a spec equal to the stable revision ends any
/// rollout (a running one is recorded as superseded); otherwise the strategy for <c>rollout.strategy</c>
/// decides (<see cref="ImmediateRollout"/>, or the canary strategy given).
/// </summary>
public sealed class RolloutPlanner
{
    private readonly IRolloutStrategy _immediate;
    private readonly IRolloutStrategy _canary;

    public RolloutPlanner(IRolloutStrategy? canary = null, IRolloutStrategy? immediate = null)
    {
        _canary = canary ?? new CanaryStart();
        _immediate = immediate ?? new ImmediateRollout();
    }

    /// <summary>Plans one reconcile.</summary>
    /// <param name="service">The InferenceService with its current status.</param>
    /// <param name="spec">Its resolved spec.</param>
    /// <param name="desired">The hash of <paramref name="spec"/>.</param>
    /// <param name="revisions">Observations of existing revisions by hash.</param>
    /// <param name="metrics">Measurements by revision hash.</param>
    /// <param name="now">The current time.</param>
    public RolloutPlan Plan(
        InferenceService service,
        ResolvedSpec spec,
        string desired,
        IReadOnlyDictionary<string, RevisionObservation> revisions,
        IReadOnlyDictionary<string, MetricsStatus> metrics,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(revisions);
        var name = service.Metadata.Name;
        var status = service.Status;
        var history = status?.RolloutHistory?.Select(Copy).ToList() ?? [];
        var stable = status?.StableRevision is { Name: { } stableName } s && HashOf(name, stableName) is { Length: > 0 } ? Copy(s) : null;
        var canary = status?.CanaryRevision is { Name: { } canaryName } c && HashOf(name, canaryName) is { Length: > 0 } ? Copy(c) : null;
        RolloutRecord? finished = null;

        if (stable is null || HashOf(name, stable.Name) == desired)
        {
            // First revision, or the spec came back to the stable one: no rollout.
            if (canary is not null && HashOf(name, canary.Name) != desired && !IsTerminal(canary))
            {
                finished = Superseded(canary, now);
                history.Insert(0, finished);
            }

            return new RolloutPlan(
                new TrafficSplit(desired, null, 0),
                new HashSet<string>(StringComparer.Ordinal) { desired },
                false,
                StableStatus(service, spec, desired, stable),
                null,
                Trim(history),
                finished,
                null);
        }

        var stableHash = HashOf(name, stable.Name);
        if (canary is not null && HashOf(name, canary.Name) != desired)
        {
            if (!IsTerminal(canary))
            {
                finished = Superseded(canary, now);
                history.Insert(0, finished);
            }

            canary = null;
        }

        var context = new RolloutContext(service, spec, desired, stable, canary, revisions, metrics, now);
        var strategy = spec.Rollout.Strategy == RolloutStrategy.Immediate ? _immediate : _canary;
        var decision = strategy.Decide(context);
        if (decision.Finished is { } record)
        {
            finished = record;
            history.Insert(0, record);
        }

        if (decision.Promote)
        {
            return new RolloutPlan(
                new TrafficSplit(desired, null, 0),
                new HashSet<string>(StringComparer.Ordinal) { desired },
                false,
                StableStatus(service, spec, desired, null),
                null,
                Trim(history),
                finished,
                decision.RequeueAfter)
            {
                Events = decision.Events,
            };
        }

        var next = decision.Canary ?? NewCanary(context);
        next.Name = Revision.NameOf(name, desired);
        next.ModelUri = spec.Model.Uri.Uri;
        var percent = Math.Clamp(next.TrafficPercent ?? 0, 0, 100);
        next.TrafficPercent = percent;
        stable.TrafficPercent = 100 - percent;
        return new RolloutPlan(
            new TrafficSplit(stableHash, desired, percent),
            new HashSet<string>(StringComparer.Ordinal) { stableHash, desired },
            decision.ScaleCanaryToZero,
            stable,
            next,
            Trim(history),
            finished,
            decision.RequeueAfter)
        {
            Events = decision.Events,
            CanaryReplicas = decision.CanaryReplicas,
            HealthReason = decision.HealthReason,
        };
    }

    /// <summary>The hash part of a revision name <c>&lt;isvc&gt;-&lt;hash&gt;</c>; empty when it is not one of <paramref name="service"/>'s.</summary>
    public static string HashOf(string service, string? revisionName)
    {
        ArgumentNullException.ThrowIfNull(service);
        var prefix = service + "-";
        return revisionName is not null && revisionName.StartsWith(prefix, StringComparison.Ordinal) && revisionName.Length > prefix.Length
            ? revisionName[prefix.Length..]
            : string.Empty;
    }

    /// <summary>A fresh canary status for the desired revision, started now, at step 0 with no traffic.</summary>
    public static CanaryRevisionStatus NewCanary(RolloutContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new CanaryRevisionStatus
        {
            Name = Revision.NameOf(context.Service.Metadata.Name, context.DesiredRevision),
            ModelUri = context.Spec.Model.Uri.Uri,
            Phase = nameof(CanaryPhase.Progressing),
            Step = 0,
            TrafficPercent = 0,
            StartedAt = StatusTime(context.Now),
        };
    }

    /// <summary>
    /// A time as the status stores it: UTC, whole seconds (RFC 3339 as the API server keeps it), so that a
    /// status read back compares equal to the one computed.
    /// </summary>
    public static DateTime StatusTime(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private static bool IsTerminal(CanaryRevisionStatus canary) =>
        canary.Phase is nameof(CanaryPhase.RolledBack) or nameof(CanaryPhase.Failed) or nameof(CanaryPhase.Promoted);

    private static RolloutRecord Superseded(CanaryRevisionStatus canary, DateTimeOffset now) => new()
    {
        Revision = canary.Name,
        Outcome = nameof(RolloutOutcome.Superseded),
        Message = "a newer spec replaced this revision before its rollout finished",
        Time = StatusTime(now),
    };

    private static RevisionStatus StableStatus(InferenceService service, ResolvedSpec spec, string hash, RevisionStatus? current) => new()
    {
        Name = Revision.NameOf(service.Metadata.Name, hash),
        ModelUri = current?.ModelUri ?? spec.Model.Uri.Uri,
        TrafficPercent = 100,
    };

    private static List<RolloutRecord>? Trim(List<RolloutRecord> history) =>
        history.Count == 0 ? null : history.Take(InferenceServiceStatus.RolloutHistoryLimit).ToList();

    private static T Copy<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
