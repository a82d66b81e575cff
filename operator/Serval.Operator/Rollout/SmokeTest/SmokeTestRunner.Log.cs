namespace Serval.Operator.Rollout.SmokeTest;

internal sealed partial class SmokeTestRunner
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Smoke test passed on {Pod}: {Requests} requests answered like the stable revision")]
    private static partial void LogPassed(ILogger logger, Uri pod, int requests);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Smoke test failed: {Mismatch}")]
    private static partial void LogFailed(ILogger logger, string mismatch);
}
