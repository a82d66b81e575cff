using Microsoft.Extensions.Logging;

namespace Serval.Controllers.Leadership;

internal static partial class LeaseElectionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} now leads (lease {Lease})")]
    public static partial void StartedLeading(ILogger logger, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} stopped leading (lease {Lease})")]
    public static partial void StoppedLeading(ILogger logger, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Lease} is held by {Leader}")]
    public static partial void NewLeader(ILogger logger, string lease, string leader);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Leader election on lease {Lease} hit an error")]
    public static partial void Error(ILogger logger, Exception error, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} released lease {Lease}")]
    public static partial void Released(ILogger logger, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} could not release lease {Lease}; a standby takes over when it expires")]
    public static partial void ReleaseFailed(ILogger logger, Exception? error, string identity, string lease);
}
