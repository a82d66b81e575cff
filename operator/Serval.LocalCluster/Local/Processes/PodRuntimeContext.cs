using Microsoft.Extensions.Logging;
using Serval.Controllers.Kubernetes;

namespace Serval.LocalCluster.Local.Processes;

/// <summary>What every <see cref="PodRuntime"/> shares: the API, options, clock, volumes, HTTP client for probes.</summary>
public sealed record PodRuntimeContext(
    IKubernetesApi Api,
    LocalControllersOptions Options,
    string WorkerPath,
    TimeProvider Time,
    PodVolumes Volumes,
    HttpClient Http,
    ILogger Logger);
