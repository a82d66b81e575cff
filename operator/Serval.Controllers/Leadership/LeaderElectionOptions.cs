namespace Serval.Controllers.Leadership;

/// <summary>
/// Leader election over a coordination.k8s.io/v1 Lease: only the holder runs reconcilers.
/// </summary>
public sealed class LeaderElectionOptions
{
    public bool Enabled { get; set; }

    public string LeaseName { get; set; } = "serval-operator";

    public string LeaseNamespace { get; set; } = "default";

    /// <summary>This process's name in the lease; unique per replica (the pod name is a good choice).</summary>
    public string Identity { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>How long a lease holds without renewal; a standby takes over after that.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The leader gives up if it cannot renew within this time.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between attempts to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws with the option and value when one is unusable (only when <see cref="Enabled"/>).</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        const string prefix = "LeaderElection";
        if (string.IsNullOrWhiteSpace(LeaseName))
        {
            throw new ArgumentException($"{prefix}.{nameof(LeaseName)} must not be empty, got '{LeaseName}'.");
        }

        if (string.IsNullOrWhiteSpace(LeaseNamespace))
        {
            throw new ArgumentException($"{prefix}.{nameof(LeaseNamespace)} must not be empty, got '{LeaseNamespace}'.");
        }

        if (string.IsNullOrWhiteSpace(Identity))
        {
            throw new ArgumentException($"{prefix}.{nameof(Identity)} must not be empty, got '{Identity}'.");
        }

        // The lease stores whole seconds.
        if (LeaseDuration < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"{prefix}.{nameof(LeaseDuration)} must be at least 1 s, got {LeaseDuration}.");
        }

        if (RenewDeadline >= LeaseDuration)
        {
            throw new ArgumentException(
                $"{prefix}.{nameof(RenewDeadline)} ({RenewDeadline}) must be shorter than {nameof(LeaseDuration)} ({LeaseDuration}).");
        }

        // The elector jitters its retries by up to 1.2x; a renewal must fit in the deadline.
        if (RetryPeriod <= TimeSpan.Zero || RetryPeriod * 1.2 >= RenewDeadline)
        {
            throw new ArgumentException(
                $"{prefix}.{nameof(RetryPeriod)} ({RetryPeriod}) must be positive and 1.2x of it shorter than {nameof(RenewDeadline)} ({RenewDeadline}).");
        }
    }
}
