using Microsoft.Extensions.Logging;

namespace Serval.LocalCluster.Local.Processes;

internal static partial class LocalKubeletLog
{
    [LoggerMessage(1, LogLevel.Information, "Pod {Pod} cannot be scheduled: {Message}")]
    public static partial void Unschedulable(ILogger logger, string pod, string message);

    [LoggerMessage(2, LogLevel.Information, "Pod {Pod} is gone; stopping its worker")]
    public static partial void Stopping(ILogger logger, string pod);

    [LoggerMessage(3, LogLevel.Warning, "Could not remove the volumes of pod {Pod}")]
    public static partial void CleanupFailed(ILogger logger, Exception exception, string pod);
}
