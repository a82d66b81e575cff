namespace Serval.Api.V1Alpha1;

/// <summary>The condition types in <c>status.conditions</c>. Each means good when True.</summary>
public static class ConditionTypes
{
    /// <summary>The service answers requests: RevisionReady, TrafficReady and RolloutHealthy are all True.</summary>
    public const string Ready = "Ready";

    /// <summary>The revision that should serve (the stable one, or the new one once promoted) has its ready replicas.</summary>
    public const string RevisionReady = "RevisionReady";

    /// <summary>Traffic reaches the revisions in the intended split (Service endpoints or HTTPRoute accepted).</summary>
    public const string TrafficReady = "TrafficReady";

    /// <summary>No rollout has failed: idle, progressing within limits, paused or promoted.</summary>
    public const string RolloutHealthy = "RolloutHealthy";

    /// <summary>Every type, in the order the status lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Ready, RevisionReady, TrafficReady, RolloutHealthy];
}
