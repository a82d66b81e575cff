namespace Serval.LocalCluster.Local.Proxy;

/// <summary>A rule: the requests it takes (any of <paramref name="Matches"/>) and the weighted backends that serve them.</summary>
public sealed record RouteRule(IReadOnlyList<RouteMatch> Matches, IReadOnlyList<ProxyBackend> Backends);
