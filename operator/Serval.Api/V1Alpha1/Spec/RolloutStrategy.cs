namespace Serval.Api.V1Alpha1;

/// <summary>How a new revision takes over from the stable one.</summary>
public enum RolloutStrategy
{
    /// <summary>Traffic moves to the new revision step by step while its error rate and latency are compared with the stable revision's.</summary>
    Canary,

    /// <summary>All traffic moves to the new revision as soon as it is ready; no analysis.</summary>
    Immediate,
}
