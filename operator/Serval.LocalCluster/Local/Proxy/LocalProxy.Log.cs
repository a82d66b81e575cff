using Microsoft.Extensions.Logging;

namespace Serval.LocalCluster.Local.Proxy;

internal static partial class LocalProxyLog
{
    [LoggerMessage(1, LogLevel.Information, "Proxy for {Source} {Key} listening on http://127.0.0.1:{Port}")]
    public static partial void Listening(ILogger logger, string source, RouteKey key, int port);

    [LoggerMessage(2, LogLevel.Information, "Proxy for {Key} stopped: its Service or HTTPRoute is gone")]
    public static partial void Stopped(ILogger logger, RouteKey key);

    [LoggerMessage(3, LogLevel.Warning, "Proxy port {Port} for {Key} is taken; moving to {NewPort}")]
    public static partial void PortTaken(ILogger logger, RouteKey key, int port, int newPort);

    [LoggerMessage(4, LogLevel.Debug, "Connection to pod {Pod} at {Address} failed; trying the next endpoint")]
    public static partial void ConnectFailed(ILogger logger, string pod, string address, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "Forwarding to pod {Pod} at {Address} failed: {Error}")]
    public static partial void ForwardFailed(ILogger logger, string pod, string address, string error, Exception? exception);

    [LoggerMessage(6, LogLevel.Error, "Proxy routing update failed")]
    public static partial void UpdateFailed(ILogger logger, Exception exception);
}
