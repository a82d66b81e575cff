namespace Serval.Api.V1Alpha1;

/// <summary>How a finished rollout ended.</summary>
public enum RolloutOutcome
{
    /// <summary>The new revision became stable.</summary>
    Promoted,

    /// <summary>An analysis or the smoke test failed; the stable revision kept the traffic.</summary>
    RolledBack,

    /// <summary>The progress deadline passed; the stable revision kept the traffic.</summary>
    Failed,

    /// <summary>A newer spec replaced the revision before its rollout finished.</summary>
    Superseded,
}
