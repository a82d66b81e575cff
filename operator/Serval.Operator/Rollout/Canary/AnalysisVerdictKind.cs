namespace Serval.Operator.Rollout.Canary;

/// <summary>How a canary check came out.</summary>
internal enum AnalysisVerdictKind
{
    /// <summary>Every limit held over at least minRequests requests.</summary>
    Passed,

    /// <summary>A limit was exceeded over at least minRequests requests.</summary>
    Failed,

    /// <summary>Too few requests (or no figures) to judge: wait, never pass.</summary>
    Inconclusive,
}
