namespace Serval.Worker.Models;

internal partial class ModelFetcher
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Downloading model {Uri} to {Path}")]
    private static partial void LogDownloadStarting(ILogger logger, string uri, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Downloading {Uri}: {Received} of {Total} bytes ({Percent}%)")]
    private static partial void LogDownloadProgress(ILogger logger, string uri, long received, long total, int percent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Downloaded {Uri}: {Bytes} bytes in {Seconds:0.00} s")]
    private static partial void LogDownloadDone(ILogger logger, string uri, long bytes, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refusing model {Model}: sha256 mismatch, expected {Expected}, got {Actual}")]
    private static partial void LogShaMismatch(ILogger logger, string model, string expected, string actual);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model sha256 verified: {Sha256}")]
    private static partial void LogShaVerified(ILogger logger, string sha256);
}
