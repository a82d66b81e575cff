namespace Serval.Operator.Metrics;

internal sealed partial class WorkerScraper
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Could not read the metrics of pod {Pod} at {Url}: {Why}; counted as missing")]
    private static partial void LogScrapeFailed(ILogger logger, string pod, Uri url, string why);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Pod {Pod} answered HTTP {Status} at {Url}; counted as missing")]
    private static partial void LogScrapeStatus(ILogger logger, string pod, Uri url, int status);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Pod {Pod} did not answer at {Url} within {Seconds} s; counted as missing")]
    private static partial void LogScrapeTimeout(ILogger logger, string pod, Uri url, double seconds);
}
