namespace Serval.LocalCluster.Local.Processes;

/// <summary>
/// Where a pod's files live under the state directory: <c>logs/&lt;pod&gt;.log</c> and
/// <c>volumes/&lt;pod&gt;/&lt;volume&gt;/</c>. Pods outside the default namespace are named
/// <c>&lt;namespace&gt;_&lt;pod&gt;</c> (an underscore never appears in a Kubernetes name, so names never clash).
/// </summary>
public sealed record PodPaths(string StateDirectory, string? Namespace, string Name)
{
    /// <summary>The pod's file name stem.</summary>
    public string Stem => Namespace is null or "default" ? Name : $"{Namespace}_{Name}";

    /// <summary>The pod's log file.</summary>
    public string LogFile => Path.Combine(StateDirectory, "logs", Stem + ".log");

    /// <summary>The directory holding the pod's volumes.</summary>
    public string VolumesDirectory => Path.Combine(StateDirectory, "volumes", Stem);

    /// <summary>The directory standing in for volume <paramref name="volume"/>.</summary>
    public string Volume(string volume) => Path.Combine(VolumesDirectory, volume);

    /// <summary>The directory standing in for persistent volume claim <paramref name="claim"/> (shared by its pods).</summary>
    public string Claim(string claim) => Path.Combine(StateDirectory, "claims", Namespace ?? "default", claim);
}
