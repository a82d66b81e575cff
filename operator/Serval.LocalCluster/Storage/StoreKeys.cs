namespace Serval.LocalCluster.Storage;

/// <summary>Object keys inside one resource's storage: "namespace/name", or "name" when cluster-scoped.</summary>
internal static class StoreKeys
{
    public static string Of(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";
}
