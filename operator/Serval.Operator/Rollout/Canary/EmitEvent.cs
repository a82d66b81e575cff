namespace Serval.Operator.Rollout.Canary;

/// <summary>Record a Kubernetes Event on the InferenceService.</summary>
/// <param name="Warning">Whether the event type is Warning rather than Normal.</param>
/// <param name="Reason">A CamelCase reason.</param>
/// <param name="Message">What happened, with figures.</param>
internal sealed record EmitEvent(bool Warning, string Reason, string Message) : CanaryAction;
