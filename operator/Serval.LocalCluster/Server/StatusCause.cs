namespace Serval.LocalCluster.Server;

/// <summary>One cause of a failed request, as in metav1.StatusCause (field errors of an Invalid status).</summary>
public sealed record StatusCause(string Reason, string Message, string? Field);
