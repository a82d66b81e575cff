namespace Serval.LocalCluster.Local.Proxy;

/// <summary>
/// Picks where each request of one listener goes. Backends by smooth weighted round robin (nginx's): over every
/// cycle of sum-of-weights requests each backend gets exactly its weight, interleaved rather than in runs; pods of a
/// backend by round robin, so the replica ratio of a Service selecting two revisions is the traffic ratio. State is
/// keyed by rule position and backend name, so it survives routing-table rebuilds (pods come and go under load).
/// </summary>
public sealed class Balancer
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _next = new(StringComparer.Ordinal);

    /// <summary>
    /// The endpoints to try for a request, best first: the chosen pod, then the other pods of its backend, then the
    /// pods of the rule's other backends (used only when a connection cannot be made). Empty when the request
    /// matches no rule or no backend of its rule has a ready pod.
    /// </summary>
    public IReadOnlyList<ProxyEndpoint> Choose(ProxyRoute route, Func<string, string?> header, string path)
    {
        ArgumentNullException.ThrowIfNull(route);
        var index = route.RuleFor(header, path);
        if (index < 0)
        {
            return [];
        }

        var live = route.Rules[index].Backends.Where(b => b.Weight > 0 && b.Endpoints.Count > 0).ToList();
        if (live.Count == 0)
        {
            return [];
        }

        lock (_lock)
        {
            var chosen = PickBackend(index, live);
            var result = new List<ProxyEndpoint>();
            result.AddRange(Rotate(chosen));
            foreach (var other in live.Where(b => !ReferenceEquals(b, chosen)))
            {
                result.AddRange(other.Endpoints);
            }

            return result;
        }
    }

    private ProxyBackend PickBackend(int rule, List<ProxyBackend> live)
    {
        if (live.Count == 1)
        {
            return live[0];
        }

        var divisor = live.Select(b => b.Weight).Aggregate(Gcd);
        var total = 0L;
        ProxyBackend? best = null;
        var bestValue = long.MinValue;
        foreach (var backend in live)
        {
            var weight = backend.Weight / divisor;
            total += weight;
            var key = $"{rule}/{backend.Name}";
            var value = _current.GetValueOrDefault(key) + weight;
            _current[key] = value;
            if (value > bestValue)
            {
                best = backend;
                bestValue = value;
            }
        }

        var bestKey = $"{rule}/{best!.Name}";
        _current[bestKey] -= total;
        return best;
    }

    private IEnumerable<ProxyEndpoint> Rotate(ProxyBackend backend)
    {
        var count = backend.Endpoints.Count;
        var start = _next.GetValueOrDefault(backend.Name) % count;
        _next[backend.Name] = (start + 1) % count;
        for (var i = 0; i < count; i++)
        {
            yield return backend.Endpoints[(start + i) % count];
        }
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
