namespace Serval.Operator.ExternalMetrics;

/// <summary>One revision of one InferenceService.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Service">The InferenceService's name.</param>
/// <param name="Revision">The revision hash.</param>
internal sealed record RevisionKey(string Namespace, string Service, string Revision);
