namespace Serval.Operator.Rollout.Canary;

/// <summary>Event reasons of canary rollouts beside the condition reasons they share.</summary>
internal static class CanaryEventReasons
{
    /// <summary>A new revision's rollout began.</summary>
    public const string RolloutStarted = "RolloutStarted";

    /// <summary>The new revision answered the smoke-test requests like the stable one.</summary>
    public const string SmokeTestPassed = "SmokeTestPassed";

    /// <summary>A check passed and traffic moved to the next step.</summary>
    public const string StepAdvanced = "StepAdvanced";

    /// <summary>A check failed, but fewer than failureThreshold times in a row.</summary>
    public const string CheckFailed = "CheckFailed";

    /// <summary>A pinned split was removed and automatic progress resumed.</summary>
    public const string RolloutResumed = "RolloutResumed";

    /// <summary>A newer spec replaced the revision before its rollout finished.</summary>
    public const string Superseded = "Superseded";
}
