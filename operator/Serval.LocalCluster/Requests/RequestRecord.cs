namespace Serval.LocalCluster.Requests;

/// <summary>
/// One API request as the server understood it. <see cref="Verb"/> is Kubernetes' verb (get, list, watch, create,
/// update, patch, delete, deletecollection); non-resource requests (discovery, OpenAPI, health) have verb "get" and
/// an empty <see cref="Resource"/>.
/// </summary>
public sealed record RequestRecord(
    DateTimeOffset Time,
    string Method,
    string Path,
    string Verb,
    string Group,
    string Version,
    string Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    string? UserAgent,
    string? FieldManager,
    int StatusCode)
{
    /// <summary>Whether the verb changes state (create, update, patch, delete, deletecollection).</summary>
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";
}
