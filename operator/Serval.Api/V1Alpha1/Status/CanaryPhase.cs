namespace Serval.Api.V1Alpha1;

/// <summary>Where a canary rollout stands.</summary>
public enum CanaryPhase
{
    /// <summary>The new revision is starting or moving through its steps.</summary>
    Progressing,

    /// <summary>Traffic is pinned by <c>rollout.canaryTrafficPercent</c>; no automatic progress.</summary>
    Paused,

    /// <summary>The new revision took all traffic and became the stable revision.</summary>
    Promoted,

    /// <summary>An analysis or the smoke test failed; traffic went back to the stable revision.</summary>
    RolledBack,

    /// <summary>The new revision did not become ready, or a step did not progress, within the progress deadline.</summary>
    Failed,
}
