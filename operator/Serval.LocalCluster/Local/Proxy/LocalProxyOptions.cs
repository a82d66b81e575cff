using Microsoft.Extensions.Logging;

namespace Serval.LocalCluster.Local.Proxy;

/// <summary>How a <see cref="LocalProxy"/> runs.</summary>
public sealed class LocalProxyOptions
{
    /// <summary>Where the listener ports are kept across restarts (DIR/proxy-ports.json); null keeps them in memory.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Forward HTTPRoutes (gateway mode) too; only when the API server serves gateway.networking.k8s.io/v1.</summary>
    public bool HttpRoutes { get; set; }

    /// <summary>Endpoints tried per request when connections are refused (a pod that just died); at least 1.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long a connection to a pod may take before the next endpoint is tried.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a forwarded request may go without any data moving before it fails with 504.</summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Throws with the option and value when one is unusable.</summary>
    public void Validate()
    {
        if (MaxAttempts is < 1 or > 16)
        {
            throw new ArgumentException($"{nameof(LocalProxyOptions)}.{nameof(MaxAttempts)} must be 1..16, got {MaxAttempts}.");
        }

        if (ConnectTimeout <= TimeSpan.Zero || ActivityTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"{nameof(LocalProxyOptions)}: {nameof(ConnectTimeout)} ({ConnectTimeout}) and {nameof(ActivityTimeout)} ({ActivityTimeout}) must be positive.");
        }
    }
}
