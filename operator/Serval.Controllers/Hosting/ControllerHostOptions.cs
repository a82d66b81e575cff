using Serval.Controllers.Leadership;
using Serval.Controllers.Memory;

namespace Serval.Controllers.Hosting;

/// <summary>How the controller host runs: informers, health endpoints, election, shutdown.</summary>
public sealed class ControllerHostOptions
{
    /// <summary>Watch one namespace only; null watches all.</summary>
    public string? Namespace { get; set; }

    /// <summary>Port of /healthz, /readyz and /metrics; 0 picks a free port, null serves none.</summary>
    public int? HealthPort { get; set; } = 8081;

    public string HealthBindAddress { get; set; } = "0.0.0.0";

    /// <summary>How long in-flight reconciles may take to finish on shutdown before they are cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Server-side watch timeout of every informer (see <see cref="Cache.InformerOptions.WatchTimeout"/>).</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Watchdog timeout of every informer (see <see cref="Cache.InformerOptions.SilenceTimeout"/>).</summary>
    public TimeSpan WatchSilenceTimeout { get; set; } = TimeSpan.FromMinutes(3);

    public LeaderElectionOptions LeaderElection { get; set; } = new();

    /// <summary>Returning a burst's memory once the controllers are idle again.</summary>
    public MemoryTrimOptions MemoryTrim { get; set; } = new();

    /// <summary>Throws with the option and value when one is unusable.</summary>
    public void Validate()
    {
        if (Namespace is { Length: 0 })
        {
            throw new ArgumentException($"{nameof(ControllerHostOptions)}.{nameof(Namespace)} must be null (all namespaces) or a name, got ''.");
        }

        if (HealthPort is < 0 or > 65535)
        {
            throw new ArgumentException($"{nameof(ControllerHostOptions)}.{nameof(HealthPort)} must be 0..65535 or null, got {HealthPort}.");
        }

        if (HealthPort is not null && !System.Net.IPAddress.TryParse(HealthBindAddress, out _))
        {
            throw new ArgumentException(
                $"{nameof(ControllerHostOptions)}.{nameof(HealthBindAddress)} must be an IP address, got '{HealthBindAddress}'.");
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(ControllerHostOptions)}.{nameof(ShutdownTimeout)} must not be negative, got {ShutdownTimeout}.");
        }

        ArgumentNullException.ThrowIfNull(LeaderElection, $"{nameof(ControllerHostOptions)}.{nameof(LeaderElection)}");
        LeaderElection.Validate();
        ArgumentNullException.ThrowIfNull(MemoryTrim, $"{nameof(ControllerHostOptions)}.{nameof(MemoryTrim)}");
        MemoryTrim.Validate();
    }
}
