using Serval.LocalCluster.Resources;

namespace Serval.LocalCluster.Server;

/// <summary>What a resource request addresses, parsed from its path, method and query.</summary>
internal sealed record RequestTarget(string Verb, ResourceType Type, string? Namespace, string? Name, string? Subresource);
