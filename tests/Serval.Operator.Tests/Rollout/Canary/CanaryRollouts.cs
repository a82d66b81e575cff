using Serval.Api.V1Alpha1;
using Serval.Operator.Rollout.Canary;

namespace Serval.Operator.Tests.Rollout.Canary;

/// <summary>Rollout settings and windows for the canary tests.</summary>
internal static class CanaryRollouts
{
    public const string StableRev = "mlp-aaaa";
    public const string CanaryRev = "mlp-bbbb";
    public const string NewerRev = "mlp-cccc";

    public static ResolvedRollout Settings(
        int[]? steps = null,
        int interval = 60,
        int deadline = 600,
        double maxErrorRate = 1,
        int maxP95 = 200,
        double? maxIncrease = null,
        int minRequests = 50,
        int failureThreshold = 2,
        int? pin = null,
        bool smokeTest = false) =>
        new(RolloutStrategy.Canary, steps ?? [10, 25, 50], interval, deadline,
            new ResolvedAnalysis(maxErrorRate, maxP95, maxIncrease, minRequests, failureThreshold),
            pin, smokeTest ? new ResolvedSmokeTest("smoke", 0.01) : null);

    public static RevisionWindow Good(long requests = 1_000, double p95 = 40, int seconds = 60) =>
        new(requests, 0, p95, TimeSpan.FromSeconds(seconds));

    public static RevisionWindow Errors(long requests, long errors, double p95 = 40, int seconds = 60) =>
        new(requests, errors, p95, TimeSpan.FromSeconds(seconds));
}
