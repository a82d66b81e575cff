using System.Net;

namespace Serval.Worker.Cli;

/// <summary>
/// Checks options that did not come through <see cref="WorkerOptionsParser"/> (in-process hosts),
/// with the same ranges the command line enforces.
/// </summary>
internal static class WorkerOptionsValidator
{
    /// <exception cref="ArgumentException">An option is out of range; the message names it and its value.</exception>
    public static void Validate(WorkerOptions options)
    {
        Check(nameof(options.Model), options.Model, !string.IsNullOrWhiteSpace(options.Model), "a model path or URI");
        Check(nameof(options.Host), options.Host, options.Host == "localhost" || IPAddress.TryParse(options.Host, out _), "an IP address");
        Check(nameof(options.Port), options.Port, options.Port is >= 0 and <= 65535, "0 to 65535");
        Check(nameof(options.MaxBatchSize), options.MaxBatchSize, options.MaxBatchSize >= 1, "at least 1");
        Check(nameof(options.MaxQueueDelayMicroseconds), options.MaxQueueDelayMicroseconds, options.MaxQueueDelayMicroseconds >= 0, "at least 0");
        Check(nameof(options.MaxQueueLength), options.MaxQueueLength, options.MaxQueueLength >= 1, "at least 1");
        Check(nameof(options.Instances), options.Instances, options.Instances is >= 1 and <= 64, "1 to 64");
        Check(nameof(options.IntraOpThreads), options.IntraOpThreads, options.IntraOpThreads >= 0, "at least 0");
        Check(nameof(options.InterOpThreads), options.InterOpThreads, options.InterOpThreads >= 0, "at least 0");
        Check(nameof(options.MaxRequestBytes), options.MaxRequestBytes, options.MaxRequestBytes is >= 1024 and <= int.MaxValue, $"1024 to {int.MaxValue}");
        Check(nameof(options.MaxTensorElements), options.MaxTensorElements, options.MaxTensorElements is >= 1 and <= int.MaxValue, $"1 to {int.MaxValue}");
        Check(nameof(options.RequestTimeoutMilliseconds), options.RequestTimeoutMilliseconds, options.RequestTimeoutMilliseconds >= 0, "at least 0");
        Check(nameof(options.DownloadTimeoutSeconds), options.DownloadTimeoutSeconds, options.DownloadTimeoutSeconds >= 1, "at least 1");
        Check(nameof(options.ShutdownTimeoutSeconds), options.ShutdownTimeoutSeconds, options.ShutdownTimeoutSeconds >= 0, "at least 0");
    }

    private static void Check<T>(string name, T value, bool valid, string expected)
    {
        if (!valid)
        {
            throw new ArgumentException($"WorkerOptions.{name} is '{value}'; it must be {expected}", name);
        }
    }
}
