namespace Serval.LocalCluster.Local.Proxy;

/// <summary>
/// One weighted destination of a rule: a Service (or, for a pin, one revision's pods) and its ready endpoints.
/// <paramref name="Name"/> identifies it across routing-table rebuilds so that balancing keeps its place.
/// </summary>
public sealed record ProxyBackend(string Name, int Weight, IReadOnlyList<ProxyEndpoint> Endpoints);
