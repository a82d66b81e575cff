namespace Serval.LocalCluster.Admission.Cel.Libraries;

/// <summary>
/// A URL as Kubernetes' CEL url library parses it (Go's url.ParseRequestURI): an absolute URL with a scheme,
/// or an absolute path.
/// </summary>
internal sealed record KubernetesUrl(string Scheme, string Host, string Hostname, string Port, string EscapedPath, string RawQuery)
{
    public static bool TryParse(string text, out KubernetesUrl? url, out string error)
    {
        url = null;
        error = string.Empty;
        if (text.Length == 0)
        {
            error = "empty url";
            return false;
        }

        if (text.Any(c => c < 0x20 || c == 0x7f || c == ' '))
        {
            error = $"parse \"{text}\": net/url: invalid control character in URL";
            return false;
        }

        var rest = text;
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            rest = rest[..hash];
        }

        var rawQuery = string.Empty;
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            rawQuery = rest[(question + 1)..];
            rest = rest[..question];
        }

        if (rest.StartsWith('/'))
        {
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                error = $"parse \"{text}\": invalid URI for request";
                return false;
            }

            url = new KubernetesUrl(string.Empty, string.Empty, string.Empty, string.Empty, rest, rawQuery);
            return true;
        }

        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsScheme(rest[..colon]))
        {
            error = $"parse \"{text}\": invalid URI for request";
            return false;
        }

        var scheme = rest[..colon].ToLowerInvariant();
        rest = rest[(colon + 1)..];
        var host = string.Empty;
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            rest = rest[2..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var authority = slash >= 0 ? rest[..slash] : rest;
            rest = slash >= 0 ? rest[slash..] : string.Empty;
            var at = authority.LastIndexOf('@');
            host = at >= 0 ? authority[(at + 1)..] : authority;
        }

        if (!TrySplitHost(host, out var hostname, out var port))
        {
            error = $"parse \"{text}\": invalid port or host \"{host}\"";
            return false;
        }

        url = new KubernetesUrl(scheme, host, hostname, port, rest, rawQuery);
        return true;
    }

    private static bool IsScheme(string s) =>
        char.IsAsciiLetter(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');

    private static bool TrySplitHost(string host, out string hostname, out string port)
    {
        hostname = host;
        port = string.Empty;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            hostname = host[1..close];
            var after = host[(close + 1)..];
            if (after.Length == 0)
            {
                return true;
            }

            if (!after.StartsWith(':'))
            {
                return false;
            }

            port = after[1..];
            return port.All(char.IsAsciiDigit);
        }

        var colon = host.LastIndexOf(':');
        if (colon < 0)
        {
            return true;
        }

        hostname = host[..colon];
        port = host[(colon + 1)..];
        return port.All(char.IsAsciiDigit);
    }

    /// <summary>The query as a map of each key to its values, decoded as Go's url.ParseQuery does.</summary>
    public Dictionary<string, object?> Query()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (RawQuery.Length == 0)
        {
            return result;
        }

        var grouped = new Dictionary<string, List<object?>>(StringComparer.Ordinal);
        foreach (var pair in RawQuery.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq >= 0 ? pair[..eq] : pair);
            var value = Decode(eq >= 0 ? pair[(eq + 1)..] : string.Empty);
            if (!grouped.TryGetValue(key, out var values))
            {
                grouped[key] = values = [];
            }

            values.Add(value);
        }

        foreach (var (key, values) in grouped)
        {
            result[key] = values.ToArray();
        }

        return result;
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
}
