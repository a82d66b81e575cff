namespace Serval.LocalCluster.Local.Proxy;

/// <summary>An exact, case-insensitively named request header match, as an HTTPRoute's <c>headers</c> entry of type Exact.</summary>
public sealed record HeaderMatch(string Name, string Value);
