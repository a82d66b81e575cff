namespace Serval.Operator.Revisions;

/// <summary>
/// The labels and annotations Serval puts on the objects it creates. Other parts (autoscaler, canary engine,
/// local proxy) select pods and read revisions by these names, so they are a contract.
/// </summary>
public static class ServalLabels
{
    /// <summary>On every child and pod: the owning InferenceService's name.</summary>
    public const string InferenceService = "serval.dev/inferenceservice";

    /// <summary>On every per-revision child and pod: the revision hash.</summary>
    public const string Revision = "serval.dev/revision";

    /// <summary>On the top-level Service: the hash of the stable revision.</summary>
    public const string StableRevisionAnnotation = "serval.dev/stable-revision";

    /// <summary>On the top-level Service during a rollout: the hash of the canary revision.</summary>
    public const string CanaryRevisionAnnotation = "serval.dev/canary-revision";

    /// <summary>
    /// On every child: a hash of what the operator last applied. A resync compares it (and the applied fields)
    /// with the desired object and writes only when they differ.
    /// </summary>
    public const string AppliedHashAnnotation = "serval.dev/applied-hash";

    /// <summary>The request header that pins a request to one revision: <c>stable</c> or <c>canary</c>.</summary>
    public const string RevisionHeader = "serval-revision";

    /// <summary>The labels of one revision's children and pods.</summary>
    public static Dictionary<string, string> ForRevision(string service, string revision) => new(StringComparer.Ordinal)
    {
        [InferenceService] = service,
        [Revision] = revision,
    };

    /// <summary>The value of <paramref name="key"/> in a label or annotation map, or null.</summary>
    public static string? ValueOf(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;
}
