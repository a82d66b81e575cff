namespace Serval.Operator.Status;

/// <summary>Why a revision's pods are not ready, in the user's terms: a condition reason and a message.</summary>
public sealed record PodProblem(string Reason, string Message);
