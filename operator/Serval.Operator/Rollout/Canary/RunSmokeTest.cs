namespace Serval.Operator.Rollout.Canary;

/// <summary>Send the smoke-test requests to a ready pod of the revision, then decide again with the result.</summary>
/// <param name="Revision">The revision to test.</param>
internal sealed record RunSmokeTest(string Revision) : CanaryAction;
