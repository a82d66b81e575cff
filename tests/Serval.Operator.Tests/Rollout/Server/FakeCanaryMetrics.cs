using System.Collections.Concurrent;
using Serval.Controllers.Cache;
using Serval.Operator.Rollout.Canary;

namespace Serval.Operator.Tests.Rollout.Server;

/// <summary>Canary figures a test sets per revision hash: requests, errors and p95 over whatever window is asked for.</summary>
internal sealed class FakeCanaryMetrics : ICanaryMetrics
{
    private readonly ConcurrentDictionary<string, (long Requests, long Errors, double P95)> _figures = new(StringComparer.Ordinal);

    public void Set(string revision, long requests, long errors = 0, double p95 = 40) => _figures[revision] = (requests, errors, p95);

    public RevisionWindow? Window(ObjectKey service, string revision, DateTimeOffset since) =>
        _figures.TryGetValue(revision, out var f)
            ? new RevisionWindow(f.Requests, f.Errors, f.Requests == 0 ? null : f.P95, DateTimeOffset.UtcNow - since)
            : null;
}
