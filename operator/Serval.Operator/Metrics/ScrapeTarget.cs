namespace Serval.Operator.Metrics;

/// <summary>One ready worker pod to read.</summary>
/// <param name="Pod">The pod's name.</param>
/// <param name="MetricsUrl">Its <c>/metrics</c>: the pod IP and the container port named <c>http</c>.</param>
internal sealed record ScrapeTarget(string Pod, Uri MetricsUrl);
