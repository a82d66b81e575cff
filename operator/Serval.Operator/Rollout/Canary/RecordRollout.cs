using Serval.Api.V1Alpha1;

namespace Serval.Operator.Rollout.Canary;

/// <summary>Add a finished rollout to <c>status.rolloutHistory</c> (newest first, at most 10, never the same entry twice).</summary>
/// <param name="Revision">The revision rolled out.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Message">Why, for people.</param>
/// <param name="Time">When it ended.</param>
internal sealed record RecordRollout(string Revision, RolloutOutcome Outcome, string Message, DateTimeOffset Time) : CanaryAction;
