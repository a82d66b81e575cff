namespace Serval.Operator.Rollout;

/// <summary>An Event a rollout strategy asks to record on the InferenceService, beside the start and end events the reconciler records itself.</summary>
/// <param name="Warning">Whether the event type is Warning rather than Normal.</param>
/// <param name="Reason">A CamelCase reason.</param>
/// <param name="Message">What happened, with figures.</param>
public sealed record RolloutEvent(bool Warning, string Reason, string Message);
