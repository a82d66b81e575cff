namespace Serval.Operator.Rollout.Canary;

/// <summary>Make the revision the stable one: it takes all traffic and the old stable revision is removed once it does.</summary>
/// <param name="Revision">The revision to promote.</param>
/// <param name="PreviousStable">The revision it replaces.</param>
internal sealed record PromoteCanary(string Revision, string PreviousStable) : CanaryAction;
