namespace Serval.Api.V1Alpha1;

/// <summary>How new revisions take over.</summary>
/// <param name="Strategy">Canary or Immediate.</param>
/// <param name="Steps">The canary's traffic percentages, strictly increasing.</param>
/// <param name="StepIntervalSeconds">How long each step lasts.</param>
/// <param name="ProgressDeadlineSeconds">How long readiness or a step may take before the rollout fails.</param>
/// <param name="Analysis">The limits each step is checked against.</param>
/// <param name="CanaryTrafficPercent">A pinned manual split, or null for automatic progress.</param>
/// <param name="SmokeTest">The smoke test, or null for none.</param>
public sealed record ResolvedRollout(
    RolloutStrategy Strategy,
    IReadOnlyList<int> Steps,
    int StepIntervalSeconds,
    int ProgressDeadlineSeconds,
    ResolvedAnalysis Analysis,
    int? CanaryTrafficPercent,
    ResolvedSmokeTest? SmokeTest);
