namespace Serval.LocalCluster.Server;

/// <summary>Reads what representation an Accept header asks for: plain JSON, a Table, or partial object metadata.</summary>
internal sealed record MediaTypes(string? TableVersion, string? PartialMetadataVersion, bool PartialMetadataList)
{
    public static MediaTypes Parse(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return new MediaTypes(null, null, false);
        }

        foreach (var option in accept.Split(','))
        {
            var parts = option.Split(';', StringSplitOptions.TrimEntries);
            var media = parts[0].ToLowerInvariant();
            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
            if (media is not ("application/json" or "*/*" or "application/*"))
            {
                continue;
            }

            if (!parameters.TryGetValue("as", out var asValue))
            {
                return new MediaTypes(null, null, false);
            }

            var version = parameters.GetValueOrDefault("v", "v1");
            var group = parameters.GetValueOrDefault("g", "meta.k8s.io");
            if (group != "meta.k8s.io" || version is not ("v1" or "v1beta1"))
            {
                continue;
            }

            switch (asValue)
            {
                case "Table":
                    return new MediaTypes(version, null, false);
                case "PartialObjectMetadata":
                    return new MediaTypes(null, version, false);
                case "PartialObjectMetadataList":
                    return new MediaTypes(null, version, true);
            }
        }

        return new MediaTypes(null, null, false);
    }

    /// <summary>Whether the client accepts JSON at all (protobuf-only clients get 406).</summary>
    public static bool AcceptsJson(string? accept) =>
        string.IsNullOrEmpty(accept) || accept.Contains("json", StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal)
        || accept.Contains("application/*", StringComparison.Ordinal) || accept.Contains("yaml", StringComparison.OrdinalIgnoreCase);
}
