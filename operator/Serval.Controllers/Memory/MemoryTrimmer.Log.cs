using Microsoft.Extensions.Logging;

namespace Serval.Controllers.Memory;

public sealed partial class MemoryTrimmer
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Idle after a burst: heap compacted, committed {Before} -> {After} MiB ({Live} MiB in use), in {Milliseconds:0} ms")]
    private static partial void LogTrimmed(ILogger logger, double before, double after, double live, double milliseconds);
}
