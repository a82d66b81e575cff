using Microsoft.Extensions.Logging;

namespace Serval.LocalCluster.Aggregation;

internal sealed partial class ApiServiceProxy
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "APIService {ApiService}: backend {Backend} did not answer: {Reason}")]
    private static partial void LogBackendFailed(ILogger logger, string apiService, Uri backend, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "APIService {ApiService}: discovery from the backend failed ({Reason}); its group is listed as Stale")]
    private static partial void LogDiscoveryFailed(ILogger logger, string apiService, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "APIService {ApiService}: discovery from the backend answered HTTP {Code}; its group is listed as Stale")]
    private static partial void LogDiscoveryStatus(ILogger logger, string apiService, int code);
}
