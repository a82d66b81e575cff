using Serval.LocalCluster.Requests;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Faults;

/// <summary>
/// Programmable failures for tests: latency, error statuses for chosen verbs and resources or a share of requests,
/// and cutting every open watch.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly List<ActiveRule> _rules = [];
    private readonly Random _random;
    private readonly Action _cutWatches;

    internal FaultInjector(int seed, Action cutWatches)
    {
        _random = new Random(seed);
        _cutWatches = cutWatches;
    }

    /// <summary>Adds a rule; the returned handle removes it when disposed.</summary>
    public IDisposable Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Percent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule.Percent, $"FaultRule.Percent must be between 0 and 100, got {rule.Percent}");
        }

        var active = new ActiveRule(rule, this);
        lock (_lock)
        {
            _rules.Add(active);
        }

        return active;
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    /// <summary>Ends every open watch now, as a dropped connection or an API server restart would.</summary>
    public void CutWatches() => _cutWatches();

    /// <summary>How many requests rules have hit so far (latency or status).</summary>
    public int Hits { get; private set; }

    internal (TimeSpan Latency, ApiException? Failure) Decide(RequestRecord request)
    {
        lock (_lock)
        {
            if (_rules.Count == 0)
            {
                return (TimeSpan.Zero, null);
            }

            var latency = TimeSpan.Zero;
            ApiException? failure = null;
            foreach (var active in _rules.ToList())
            {
                var rule = active.Rule;
                if (!Matches(rule, request) || (rule.Percent < 100 && _random.NextDouble() * 100 >= rule.Percent))
                {
                    continue;
                }

                Hits++;
                latency += rule.Latency;
                if (rule.StatusCode is { } code && failure is null)
                {
                    failure = Failure(code, rule, request);
                }

                if (rule.Times is { } times && ++active.Used >= times)
                {
                    _rules.Remove(active);
                }
            }

            return (latency, failure);
        }
    }

    private static bool Matches(FaultRule rule, RequestRecord request) =>
        (rule.Verb is null || rule.Verb == request.Verb)
        && (rule.Resource is null || rule.Resource == request.Resource)
        && (rule.Group is null || rule.Group == request.Group)
        && (rule.Namespace is null || rule.Namespace == request.Namespace)
        && (rule.Name is null || rule.Name == request.Name)
        && (rule.Subresource is null || rule.Subresource == request.Subresource);

    private static ApiException Failure(int code, FaultRule rule, RequestRecord request) => code switch
    {
        429 => new ApiException(429, "TooManyRequests", rule.Message ?? "the server has received too many requests and has asked us to try again later",
            retryAfterSeconds: rule.RetryAfterSeconds),
        409 => new ApiException(409, "Conflict", rule.Message ?? $"Operation cannot be fulfilled on {request.Resource} \"{request.Name}\": the object has been modified; please apply your changes to the latest version and try again",
            request.Name, request.Group, request.Resource),
        500 => new ApiException(500, "InternalError", rule.Message ?? "Internal error occurred: injected fault"),
        503 => new ApiException(503, "ServiceUnavailable", rule.Message ?? "the server is currently unable to handle the request", retryAfterSeconds: rule.RetryAfterSeconds),
        504 => new ApiException(504, "Timeout", rule.Message ?? "the server was unable to return a response in the time allotted"),
        404 => new ApiException(404, "NotFound", rule.Message ?? $"{request.Resource} \"{request.Name}\" not found", request.Name, request.Group, request.Resource),
        _ => new ApiException(code, "InternalError", rule.Message ?? $"injected fault {code}"),
    };

    private sealed class ActiveRule(FaultRule rule, FaultInjector owner) : IDisposable
    {
        public FaultRule Rule { get; } = rule;

        public int Used { get; set; }

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._rules.Remove(this);
            }
        }
    }
}
