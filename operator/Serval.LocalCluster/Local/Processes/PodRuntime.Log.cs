using Microsoft.Extensions.Logging;

namespace Serval.LocalCluster.Local.Processes;

internal static partial class PodRuntimeLog
{
    [LoggerMessage(1, LogLevel.Information, "Pod {Pod}: started worker pid {Pid} on 127.0.0.1:{Port}")]
    public static partial void Started(ILogger logger, string pod, int pid, int? port);

    [LoggerMessage(2, LogLevel.Information, "Pod {Pod}: worker exited with code {ExitCode}")]
    public static partial void Exited(ILogger logger, string pod, int exitCode);

    [LoggerMessage(3, LogLevel.Warning, "Pod {Pod}: status write failed; retrying")]
    public static partial void StatusWriteFailed(ILogger logger, Exception exception, string pod);

    [LoggerMessage(4, LogLevel.Information, "Pod {Pod}: waiting for volumes: {Reason}")]
    public static partial void WaitingForVolumes(ILogger logger, string pod, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Pod {Pod}: worker could not start")]
    public static partial void StartFailed(ILogger logger, Exception exception, string pod);

    [LoggerMessage(6, LogLevel.Information, "Pod {Pod}: restarting in {Delay}")]
    public static partial void BackingOff(ILogger logger, string pod, TimeSpan delay);

    [LoggerMessage(7, LogLevel.Error, "Pod {Pod}: the local runtime failed; its worker was stopped")]
    public static partial void RuntimeFailed(ILogger logger, Exception exception, string pod);
}
