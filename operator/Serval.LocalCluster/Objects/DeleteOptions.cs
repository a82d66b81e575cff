namespace Serval.LocalCluster.Objects;

/// <summary>metav1.DeleteOptions as far as the local cluster honours them.</summary>
internal sealed record DeleteOptions(string? PropagationPolicy, string? PreconditionUid, string? PreconditionResourceVersion, bool DryRun)
{
    public static DeleteOptions Background { get; } = new("Background", null, null, false);
}
