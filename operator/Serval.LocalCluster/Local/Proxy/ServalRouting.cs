namespace Serval.LocalCluster.Local.Proxy;

/// <summary>
/// The names the operator puts on what it creates and the proxy reads back. The operator declares them too (its
/// <c>ServalLabels</c>); they are repeated here because the local cluster must not depend on the operator.
/// </summary>
internal static class ServalRouting
{
    public const string InferenceServiceLabel = "serval.dev/inferenceservice";

    public const string RevisionLabel = "serval.dev/revision";

    public const string StableRevisionAnnotation = "serval.dev/stable-revision";

    public const string CanaryRevisionAnnotation = "serval.dev/canary-revision";

    public const string RevisionHeader = "serval-revision";
}
