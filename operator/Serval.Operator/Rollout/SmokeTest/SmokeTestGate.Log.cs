using Serval.Controllers.Cache;

namespace Serval.Operator.Rollout.SmokeTest;

internal sealed partial class SmokeTestGate
{
    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Smoke test of {Service} could not run yet: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, ObjectKey service, string reason);
}
