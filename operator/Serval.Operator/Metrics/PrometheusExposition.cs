namespace Serval.Operator.Metrics;

/// <summary>A parsed Prometheus text exposition: every sample in order, and the declared family types.</summary>
/// <param name="Samples">The samples, in the order they were written.</param>
/// <param name="Types">Family name to its <c># TYPE</c> (counter, gauge, histogram, summary, untyped).</param>
internal sealed record PrometheusExposition(
    IReadOnlyList<PrometheusSample> Samples,
    IReadOnlyDictionary<string, string> Types)
{
    /// <summary>The samples named <paramref name="name"/>.</summary>
    public IEnumerable<PrometheusSample> Named(string name) =>
        Samples.Where(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}
