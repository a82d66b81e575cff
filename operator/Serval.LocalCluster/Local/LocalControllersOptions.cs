namespace Serval.LocalCluster.Local;

/// <summary>How <see cref="LocalControllers"/> run pods and scale: the state directory, the worker executable, periods.</summary>
public sealed class LocalControllersOptions
{
    /// <summary>Holds <c>logs/</c>, <c>volumes/</c> and <c>claims/</c>.</summary>
    public string StateDirectory { get; set; } = ".serval";

    /// <summary>
    /// The <c>serval-worker</c> executable every container image maps to; null looks next to the running program,
    /// then under <c>runtime-image/Serval.Worker/bin/</c> above it (<see cref="Processes.WorkerExecutable"/>).
    /// </summary>
    public string? WorkerPath { get; set; }

    /// <summary>Extended resources the local node offers (e.g. <c>nvidia.com/gpu</c> = 1); none by default.</summary>
    public IDictionary<string, int> ExtendedResources { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>
    /// The most often a readiness probe runs. A probe's own periodSeconds is honoured when shorter; local mode
    /// probes faster than a kubelet so that pods turn Ready within a second of their worker.
    /// </summary>
    public TimeSpan ProbePeriod { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The first restart delay of a crashing container; it doubles up to <see cref="MaxRestartBackoff"/>.</summary>
    public TimeSpan RestartBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest restart delay (the kubelet's is five minutes).</summary>
    public TimeSpan MaxRestartBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a stopping worker gets between SIGTERM and SIGKILL (the pod's own grace period when shorter).</summary>
    public TimeSpan MaxTerminationGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the HPA controller evaluates each HorizontalPodAutoscaler (kube-controller-manager: 15 s).</summary>
    public TimeSpan HorizontalPodAutoscalerSyncPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The HPA's tolerance: no scaling while the usage ratio is within 1 ± this.</summary>
    public double HorizontalPodAutoscalerTolerance { get; set; } = 0.1;

    /// <summary>
    /// Where external metrics are read (<c>{base}/apis/external.metrics.k8s.io/v1beta1/...</c>); null reads them
    /// from the API server, which serves or proxies that group.
    /// </summary>
    public Uri? ExternalMetricsEndpoint { get; set; }

    /// <summary>The namespace to watch; null watches all.</summary>
    public string? Namespace { get; set; }

    /// <summary>The field manager and user agent of every write.</summary>
    public string FieldManager { get; set; } = "serval-local-controllers";

    /// <summary>Throws naming the option and value when one is unusable.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(StateDirectory))
        {
            throw new ArgumentException($"{nameof(LocalControllersOptions)}.{nameof(StateDirectory)} must be a directory, got '{StateDirectory}'.");
        }

        Positive(ProbePeriod, nameof(ProbePeriod));
        Positive(RestartBackoff, nameof(RestartBackoff));
        Positive(HorizontalPodAutoscalerSyncPeriod, nameof(HorizontalPodAutoscalerSyncPeriod));
        if (MaxRestartBackoff < RestartBackoff)
        {
            throw new ArgumentException(
                $"{nameof(LocalControllersOptions)}.{nameof(MaxRestartBackoff)} must be at least {nameof(RestartBackoff)} ({RestartBackoff}), got {MaxRestartBackoff}.");
        }

        if (MaxTerminationGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"{nameof(LocalControllersOptions)}.{nameof(MaxTerminationGracePeriod)} must not be negative, got {MaxTerminationGracePeriod}.");
        }

        if (HorizontalPodAutoscalerTolerance is < 0 or >= 1 || double.IsNaN(HorizontalPodAutoscalerTolerance))
        {
            throw new ArgumentException(
                $"{nameof(LocalControllersOptions)}.{nameof(HorizontalPodAutoscalerTolerance)} must be in [0, 1), got {HorizontalPodAutoscalerTolerance}.");
        }

        foreach (var (name, count) in ExtendedResources)
        {
            if (count < 0)
            {
                throw new ArgumentException(
                    $"{nameof(LocalControllersOptions)}.{nameof(ExtendedResources)}['{name}'] must not be negative, got {count}.");
            }
        }

        if (WorkerPath is not null && !File.Exists(WorkerPath))
        {
            throw new ArgumentException($"{nameof(LocalControllersOptions)}.{nameof(WorkerPath)} '{WorkerPath}' does not exist.");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(LocalControllersOptions)}.{name} must be positive, got {value}.");
        }
    }
}
