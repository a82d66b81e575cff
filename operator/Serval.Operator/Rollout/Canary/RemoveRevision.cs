namespace Serval.Operator.Rollout.Canary;

/// <summary>Delete the revision's Deployment, Service and HorizontalPodAutoscaler: nothing refers to it any more.</summary>
/// <param name="Revision">The revision to remove.</param>
internal sealed record RemoveRevision(string Revision) : CanaryAction;
