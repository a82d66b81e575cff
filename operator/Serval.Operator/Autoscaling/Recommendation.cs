namespace Serval.Operator.Autoscaling;

/// <summary>A count the decision asked for at a moment, kept for the scale-down delay.</summary>
/// <param name="At">When.</param>
/// <param name="Replicas">How many.</param>
internal readonly record struct Recommendation(DateTimeOffset At, int Replicas);
