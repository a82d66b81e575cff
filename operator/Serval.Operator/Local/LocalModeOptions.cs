using Serval.LocalCluster.Local;
using Serval.Operator.Hosting;

namespace Serval.Operator.Local;

/// <summary>How a <see cref="LocalMode"/> runs.</summary>
public sealed class LocalModeOptions
{
    /// <summary>Port of the embedded API server; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Holds the kubeconfig, objects (state/), worker logs (logs/) and proxy ports.</summary>
    public string StateDirectory { get; set; } = ".serval";

    /// <summary>Serves the embedded API server over TLS (kubectl needs no flag either way).</summary>
    public bool UseTls { get; set; }

    /// <summary>Write the kubeconfig once started; off when the caller writes it later (after applying its files).</summary>
    public bool WriteKubeconfig { get; set; } = true;

    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Changes to the operator's options (tests shorten periods; other parts plug their seams in).</summary>
    public Action<OperatorOptions>? ConfigureOperator { get; set; }

    /// <summary>Changes to the autoscaler's options (tests shorten its windows).</summary>
    internal Action<Autoscaling.AutoscalingOptions>? ConfigureAutoscaling { get; set; }

    /// <summary>Changes to the local controllers' options (worker path, probe and HPA periods).</summary>
    public Action<LocalControllersOptions>? ConfigureControllers { get; set; }
}
