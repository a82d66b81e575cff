namespace Serval.Operator.Local;

internal static partial class LocalModeLog
{
    [LoggerMessage(1, LogLevel.Information, "Local mode: API server {Url}, state in {Directory}")]
    public static partial void Started(ILogger logger, Uri url, string directory);

    [LoggerMessage(2, LogLevel.Error, "The operator stopped with an error")]
    public static partial void OperatorFailed(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "Operator restarted")]
    public static partial void OperatorRestarted(ILogger logger);
}
