namespace Serval.LocalCluster.Local.Processes;

/// <summary>A volume cannot be set up yet (its ConfigMap or Secret is missing); the pod waits in ContainerCreating.</summary>
public sealed class VolumeNotReadyException : Exception
{
    public VolumeNotReadyException()
    {
    }

    public VolumeNotReadyException(string message)
        : base(message)
    {
    }

    public VolumeNotReadyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
