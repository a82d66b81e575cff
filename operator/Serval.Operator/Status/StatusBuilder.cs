using System.Text.Json;
using k8s;
using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Serialization;
using Serval.Controllers.Status;
using Serval.Operator.Revisions;
using Serval.Operator.Rollout;

namespace Serval.Operator.Status;

/// <summary>
/// Computes an InferenceService's status: observedGeneration, url, replica counts per revision, and the
/// conditions RevisionReady, TrafficReady, RolloutHealthy and Ready (True when the other three are), each good
/// when True, with reasons and messages in the user's terms. Conditions keep their lastTransitionTime unless
/// their status flips.
/// </summary>
public static class StatusBuilder
{
    /// <summary>The status for a served spec.</summary>
    public static InferenceServiceStatus Build(StatusInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var service = input.Service;
        var name = service.Metadata.Name;
        var plan = input.Plan;
        var generation = service.Metadata.Generation;
        var stableHash = plan.Traffic.Stable!;
        var stableObserved = input.Revisions.GetValueOrDefault(stableHash);
        var stable = plan.Stable;
        stable.Replicas = stableObserved?.Replicas ?? 0;
        stable.ReadyReplicas = stableObserved?.ReadyReplicas ?? 0;
        stable.TrafficPercent = plan.Traffic.StablePercent;
        var canary = plan.Canary;
        if (canary is not null)
        {
            var observed = input.Revisions.GetValueOrDefault(plan.Traffic.Canary!);
            canary.Replicas = observed?.Replicas ?? 0;
            canary.ReadyReplicas = observed?.ReadyReplicas ?? 0;
        }

        var status = new InferenceServiceStatus
        {
            ObservedGeneration = generation,
            Url = input.Url,
            Replicas = input.Revisions.Values.Where(r => plan.Wanted.Contains(r.Hash)).Sum(r => r.Replicas),
            ReadyReplicas = input.Revisions.Values.Where(r => plan.Wanted.Contains(r.Hash)).Sum(r => r.ReadyReplicas),
            StableRevision = stable,
            CanaryRevision = canary,
            RolloutHistory = plan.History,
            Metrics = input.Metrics,
            Autoscaling = input.Autoscaling,
            Conditions = CopyConditions(service.Status?.Conditions),
        };

        var now = RolloutPlanner.StatusTime(input.Now);
        var revisionReady = RevisionReady(input, stableHash, stableObserved);
        var trafficReady = TrafficReady(input);
        var rolloutHealthy = RolloutHealthy(canary, plan.HealthReason);
        Set(status, ConditionTypes.RevisionReady, revisionReady, generation, now);
        Set(status, ConditionTypes.TrafficReady, trafficReady, generation, now);
        Set(status, ConditionTypes.RolloutHealthy, rolloutHealthy, generation, now);
        var failing = new[] { revisionReady, trafficReady, rolloutHealthy }.FirstOrDefault(c => !c.Ok);
        Set(status, ConditionTypes.Ready, failing ?? new Verdict(true, ConditionReasons.AsExpected, $"serving at {input.Url}"), generation, now);
        Order(status);
        return status;
    }

    /// <summary>The status for a spec the operator cannot serve: Ready False with reason InvalidSpec and the message.</summary>
    public static InferenceServiceStatus Invalid(InferenceService service, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(service);
        var status = service.Status is null ? new InferenceServiceStatus() : KubernetesJson.Deserialize<InferenceServiceStatus>(KubernetesJson.Serialize(service.Status));
        status.ObservedGeneration = service.Metadata.Generation;
        status.Conditions = CopyConditions(service.Status?.Conditions);
        Set(status, ConditionTypes.Ready, new Verdict(false, ConditionReasons.InvalidSpec, message), service.Metadata.Generation, RolloutPlanner.StatusTime(now));
        Order(status);
        return status;
    }

    /// <summary>True when <paramref name="current"/> and <paramref name="next"/> say the same (what is written would not change).</summary>
    public static bool SameAs(InferenceServiceStatus? current, InferenceServiceStatus next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return current is not null && Canonical(current) == Canonical(next);
    }

    private static string Canonical(InferenceServiceStatus status)
    {
        using var document = JsonSerializer.SerializeToDocument(status, KubernetesSerialization.Options);
        return CanonicalJson.Text(document.RootElement);
    }

    private static Verdict RevisionReady(StatusInput input, string stableHash, RevisionObservation? stable)
    {
        if (stable is { Ready: true })
        {
            return new Verdict(true, ConditionReasons.AsExpected, $"{stable.ReadyReplicas} of {stable.Replicas} replicas ready");
        }

        if (input.Problems.GetValueOrDefault(stableHash) is { } problem)
        {
            return new Verdict(false, problem.Reason, problem.Message);
        }

        if (stable is null)
        {
            return new Verdict(false, ConditionReasons.Reconciling, $"creating revision {Revision.NameOf(input.Service.Metadata.Name, stableHash)}");
        }

        return new Verdict(false, ConditionReasons.ReplicasUnavailable, $"{stable.ReadyReplicas} of {Math.Max(stable.Replicas, input.Spec.Autoscaling.MinReplicas)} replicas ready");
    }

    private static Verdict TrafficReady(StatusInput input)
    {
        if (input.RouteProblem is { } route)
        {
            return new Verdict(false, route.Reason, route.Message);
        }

        var serving = input.Plan.Traffic.Serving().ToList();
        var ready = serving.Sum(hash => input.Revisions.GetValueOrDefault(hash)?.ReadyReplicas ?? 0);
        return ready > 0
            ? new Verdict(true, ConditionReasons.AsExpected, $"{ready} ready endpoints behind {input.Service.Metadata.Name}")
            : new Verdict(false, ConditionReasons.NoEndpoints, $"no ready pods behind {input.Service.Metadata.Name} yet");
    }

    private static Verdict RolloutHealthy(CanaryRevisionStatus? canary, string? reason) => canary?.Phase switch
    {
        nameof(CanaryPhase.RolledBack) when reason == ConditionReasons.ManualRollback =>
            new Verdict(true, reason, canary.Message ?? $"{canary.Name} rolled back on request"),
        nameof(CanaryPhase.RolledBack) or nameof(CanaryPhase.Failed) when reason is not null =>
            new Verdict(false, reason, canary.Message ?? $"{canary.Name} was rolled back"),
        null => new Verdict(true, ConditionReasons.AsExpected, "no rollout in progress"),
        nameof(CanaryPhase.Progressing) => new Verdict(true, ConditionReasons.RolloutProgressing, canary.Message ?? $"rolling out {canary.Name}"),
        nameof(CanaryPhase.Paused) => new Verdict(true, ConditionReasons.RolloutPaused, canary.Message ?? $"{canary.Name} pinned at {canary.TrafficPercent}%"),
        nameof(CanaryPhase.Promoted) => new Verdict(true, ConditionReasons.Promoted, canary.Message ?? $"{canary.Name} promoted"),
        nameof(CanaryPhase.Failed) => new Verdict(false, ConditionReasons.ProgressDeadlineExceeded, canary.Message ?? $"{canary.Name} made no progress in time"),
        _ => new Verdict(false, ConditionReasons.AnalysisFailed, canary.Message ?? $"{canary.Name} was rolled back"),
    };

    private static List<V1Condition> CopyConditions(IList<V1Condition>? conditions) =>
        conditions is null ? [] : [.. conditions.Select(c => KubernetesJson.Deserialize<V1Condition>(KubernetesJson.Serialize(c)))];

    private static void Set(InferenceServiceStatus status, string type, Verdict verdict, long? generation, DateTime now) =>
        Conditions.Set(status.Conditions!, type, verdict.Ok, verdict.Reason, verdict.Message, generation, now);

    private static void Order(InferenceServiceStatus status)
    {
        var conditions = status.Conditions!;
        status.Conditions = [.. conditions.OrderBy(c => ConditionTypes.All.ToList() is var all && all.IndexOf(c.Type) is var i && i >= 0 ? i : int.MaxValue)];
    }

    private sealed record Verdict(bool Ok, string Reason, string Message);
}
