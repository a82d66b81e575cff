namespace Serval.LocalCluster.Local.Proxy;

/// <summary>
/// What one listener does with a request: the first matching rule with the most header matches wins (the Gateway
/// API's precedence among rules that differ only in headers), then a backend by weight, then a ready pod.
/// <paramref name="Source"/> says what it was built from ("Service" or "HTTPRoute").
/// </summary>
public sealed record ProxyRoute(RouteKey Key, string Source, IReadOnlyList<RouteRule> Rules)
{
    /// <summary>The index of the rule that takes the request, or -1 when none does.</summary>
    public int RuleFor(Func<string, string?> header, string path)
    {
        var best = -1;
        var bestHeaders = -1;
        for (var i = 0; i < Rules.Count; i++)
        {
            foreach (var match in Rules[i].Matches)
            {
                if (match.Headers.Count > bestHeaders && match.Matches(header, path))
                {
                    best = i;
                    bestHeaders = match.Headers.Count;
                }
            }
        }

        return best;
    }
}
