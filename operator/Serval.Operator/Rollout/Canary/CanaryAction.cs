namespace Serval.Operator.Rollout.Canary;

/// <summary>
/// Something the reconciler must do for a canary decision. Every action is idempotent: the reconciler is level
/// triggered and may apply the same decision twice (for example after a restart between applying and writing status).
/// </summary>
internal abstract record CanaryAction;
