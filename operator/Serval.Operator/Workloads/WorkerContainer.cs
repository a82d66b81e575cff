using System.Globalization;
using k8s;
using k8s.Models;
using Serval.Api.V1Alpha1;

namespace Serval.Operator.Workloads;

/// <summary>
/// The worker container of a revision's pods and the pod-level pieces it needs (volumes): the
/// <c>serval-worker</c> command line, the <c>http</c> port, probes and a locked-down security context.
/// </summary>
public static class WorkerContainer
{
    /// <summary>The worker container's name.</summary>
    public const string Name = "worker";

    /// <summary>The name of the worker's HTTP port (V2 protocol and /metrics).</summary>
    public const string PortName = "http";

    public const int Port = 8080;

    public const string ReadyPath = "/v2/health/ready";

    public const string LivePath = "/v2/health/live";

    public const string MetricsPath = "/metrics";

    /// <summary>Where the auth token Secret is mounted.</summary>
    public const string AuthDirectory = "/var/run/serval/auth";

    private const string TmpVolume = "tmp";

    private const string AuthVolume = "auth-token";

    /// <summary>The worker's command-line arguments for <paramref name="spec"/>.</summary>
    public static List<string> Arguments(ResolvedSpec spec, ModelDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(delivery);
        var args = new List<string> { "--model", delivery.ModelArgument };
        if (spec.Model.Sha256 is { } sha)
        {
            args.AddRange(["--model-sha256", sha]);
        }

        args.AddRange(
        [
            "--name", spec.Model.Name,
            "--port", Number(Port),
            "--max-batch-size", Number(spec.Batching.MaxBatchSize),
            "--max-queue-delay-us", Number(spec.Batching.MaxQueueDelayMicroseconds),
            "--max-queue-length", Number(spec.Batching.MaxQueueLength),
            "--execution-provider", spec.Runtime.ExecutionProvider.ToString(),
        ]);
        if (spec.Runtime.IntraOpThreads > 0)
        {
            args.AddRange(["--intra-op-threads", Number(spec.Runtime.IntraOpThreads)]);
        }

        if (spec.Runtime.AuthToken is { } token)
        {
            args.AddRange(["--auth-token-file", $"{AuthDirectory}/{token.Key}"]);
        }

        return args;
    }

    /// <summary>The container for <paramref name="spec"/>.</summary>
    public static V1Container Build(ResolvedSpec spec, ModelDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(delivery);
        var mounts = new List<V1VolumeMount> { new() { Name = TmpVolume, MountPath = "/tmp" } };
        mounts.AddRange(delivery.Mounts);
        if (spec.Runtime.AuthToken is not null)
        {
            mounts.Add(new V1VolumeMount { Name = AuthVolume, MountPath = AuthDirectory, ReadOnlyProperty = true });
        }

        return new V1Container
        {
            Name = Name,
            Image = spec.Runtime.Image,
            Args = Arguments(spec, delivery),
            Ports = [new V1ContainerPort { Name = PortName, ContainerPort = Port, Protocol = "TCP" }],
            Env = delivery.Environment.Count > 0 ? [.. delivery.Environment] : null,
            Resources = Resources(spec.Resources),
            VolumeMounts = mounts,
            // Loading a large model (or downloading it) can take minutes: the startup probe allows 10 of them
            // before liveness takes over.
            StartupProbe = Probe(ReadyPath, periodSeconds: 5, failureThreshold: 120),
            ReadinessProbe = Probe(ReadyPath, periodSeconds: 5, failureThreshold: 3),
            LivenessProbe = Probe(LivePath, periodSeconds: 10, failureThreshold: 3),
            TerminationMessagePolicy = "FallbackToLogsOnError",
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                RunAsNonRoot = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
        };
    }

    /// <summary>The pod volumes the container's mounts refer to.</summary>
    public static List<V1Volume> Volumes(ResolvedSpec spec, ModelDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(delivery);
        var volumes = new List<V1Volume> { new() { Name = TmpVolume, EmptyDir = new V1EmptyDirVolumeSource() } };
        volumes.AddRange(delivery.Volumes);
        if (spec.Runtime.AuthToken is { } token)
        {
            volumes.Add(new V1Volume
            {
                Name = AuthVolume,
                Secret = new V1SecretVolumeSource { SecretName = token.Name, Items = [new V1KeyToPath { Key = token.Key, Path = token.Key }] },
            });
        }

        return volumes;
    }

    private static V1ResourceRequirements? Resources(V1ResourceRequirements resources)
    {
        var copy = KubernetesJson.Deserialize<V1ResourceRequirements>(KubernetesJson.Serialize(resources));
        if (copy.Limits is { Count: 0 })
        {
            copy.Limits = null;
        }

        if (copy.Requests is { Count: 0 })
        {
            copy.Requests = null;
        }

        if (copy.Claims is { Count: 0 })
        {
            copy.Claims = null;
        }

        return copy.Limits is null && copy.Requests is null && copy.Claims is null ? null : copy;
    }

    private static V1Probe Probe(string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = PortName },
        PeriodSeconds = periodSeconds,
        FailureThreshold = failureThreshold,
    };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
