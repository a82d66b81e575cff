namespace Serval.Controllers.Kubernetes;

/// <summary>One page of a list.</summary>
/// <param name="Items">The objects, with apiVersion and kind filled in.</param>
/// <param name="ResourceVersion">The list's resourceVersion: a watch started from it misses nothing.</param>
/// <param name="Continue">The token for the next page, or null on the last page.</param>
public sealed record ResourcePage<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue);
