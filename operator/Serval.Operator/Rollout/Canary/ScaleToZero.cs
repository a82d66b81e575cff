namespace Serval.Operator.Rollout.Canary;

/// <summary>Take the revision out of traffic and scale it to zero; its objects stay, so Git and status still name it.</summary>
/// <param name="Revision">The revision rolled back.</param>
internal sealed record ScaleToZero(string Revision) : CanaryAction;
