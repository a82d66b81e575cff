using Microsoft.Extensions.Logging;

namespace Serval.LocalCluster.Local;

internal static partial class LocalControllersLog
{
    [LoggerMessage(1, LogLevel.Information, "Local controllers running: pods run {Worker}, state in {StateDirectory}")]
    public static partial void Started(ILogger logger, string worker, string stateDirectory);

    [LoggerMessage(2, LogLevel.Information, "Local controllers stopped; every worker process is gone")]
    public static partial void Stopped(ILogger logger);
}
