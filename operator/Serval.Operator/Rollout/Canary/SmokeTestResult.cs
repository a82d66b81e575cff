namespace Serval.Operator.Rollout.Canary;

/// <summary>How the new revision answered the smoke-test requests.</summary>
/// <param name="Passed">Whether every output agreed within the tolerance.</param>
/// <param name="Message">What was checked, or the first mismatch.</param>
internal sealed record SmokeTestResult(bool Passed, string Message);
