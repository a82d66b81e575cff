namespace Serval.Api.V1Alpha1;

/// <summary>Gateway API routing.</summary>
/// <param name="GatewayName">The Gateway's name.</param>
/// <param name="GatewayNamespace">The Gateway's namespace (the InferenceService's when not written).</param>
/// <param name="Hostnames">The hostnames the HTTPRoute matches (empty: the Gateway's listeners decide).</param>
public sealed record ResolvedTraffic(string GatewayName, string GatewayNamespace, IReadOnlyList<string> Hostnames);
