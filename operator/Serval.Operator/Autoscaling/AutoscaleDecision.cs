namespace Serval.Operator.Autoscaling;

/// <summary>The outcome of one decision.</summary>
/// <param name="DesiredReplicas">The replicas to run, within min and max.</param>
/// <param name="Reason">Why, for people, e.g. "panic: concurrency 3.1× target".</param>
/// <param name="Panicking">Whether the decision is in panic mode.</param>
/// <param name="State">The state to hand to the next decision.</param>
internal sealed record AutoscaleDecision(int DesiredReplicas, string Reason, bool Panicking, AutoscaleState State);
