using System.Text.RegularExpressions;

namespace Serval.Api.V1Alpha1;

/// <summary>
/// A parsed <c>spec.model.uri</c>. <see cref="Location"/> is the host (http, https), the claim (pvc) or the ConfigMap
/// name (configmap), empty for file; <see cref="Path"/> is the URL path with its query (http, https), the path inside
/// the volume without a leading '/' (pvc), the key (configmap) or the absolute path (file).
/// </summary>
/// <param name="Scheme">Where the file comes from.</param>
/// <param name="Uri">The URI as written.</param>
/// <param name="Location">Host, claim or ConfigMap name; empty for file.</param>
/// <param name="Path">Path, key or absolute path.</param>
public sealed record ModelUri(ModelUriScheme Scheme, string Uri, string Location, string Path)
{
    /// <summary>The longest URI accepted.</summary>
    public const int MaxLength = 2048;

    // The patterns are shared by the CEL rules (RE2) and by Validate (.NET); they avoid backslashes so that they
    // read the same inside a CEL string literal.
    private const string DnsSubdomain = "[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

    /// <summary>The allowed schemes.</summary>
    public const string SchemePattern = "^(https|http|pvc|configmap|file)://";

    /// <summary>http and https: a host, then a non-empty path.</summary>
    public const string HttpPattern = "^https?://[^/?# ]+/[^ ]+$";

    /// <summary>pvc://claim/path.</summary>
    public const string PvcPattern = "^pvc://" + DnsSubdomain + "/.+$";

    /// <summary>configmap://name/key.</summary>
    public const string ConfigMapPattern = "^configmap://" + DnsSubdomain + "/[-._a-zA-Z0-9]+$";

    /// <summary>file:///absolute/path.</summary>
    public const string FilePattern = "^file:///.+$";

    /// <summary>A SHA-256 digest in hexadecimal.</summary>
    public const string Sha256Pattern = "^[0-9a-fA-F]{64}$";

    /// <summary>Parses a URI that <see cref="InferenceService.Validate"/> accepts.</summary>
    /// <exception cref="FormatException">The URI has an unknown scheme or the wrong shape for its scheme; the message says which.</exception>
    public static ModelUri Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var (scheme, pattern) = uri switch
        {
            _ when uri.StartsWith("https://", StringComparison.Ordinal) => (ModelUriScheme.Https, HttpPattern),
            _ when uri.StartsWith("http://", StringComparison.Ordinal) => (ModelUriScheme.Http, HttpPattern),
            _ when uri.StartsWith("pvc://", StringComparison.Ordinal) => (ModelUriScheme.Pvc, PvcPattern),
            _ when uri.StartsWith("configmap://", StringComparison.Ordinal) => (ModelUriScheme.ConfigMap, ConfigMapPattern),
            _ when uri.StartsWith("file://", StringComparison.Ordinal) => (ModelUriScheme.File, FilePattern),
            _ => throw new FormatException($"spec.model.uri \"{uri}\": the scheme must be https, http, pvc, configmap or file"),
        };
        if (!Matches(uri, pattern))
        {
            throw new FormatException($"spec.model.uri \"{uri}\": not a valid {scheme.ToString().ToLowerInvariant()} URI");
        }

        var rest = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        if (scheme == ModelUriScheme.File)
        {
            return new ModelUri(scheme, uri, string.Empty, rest);
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var path = scheme is ModelUriScheme.Http or ModelUriScheme.Https ? rest[slash..] : rest[(slash + 1)..];
        return new ModelUri(scheme, uri, rest[..slash], path);
    }

    internal static bool HasKnownScheme(string uri) => Matches(uri, SchemePattern);

    internal static bool IsScheme(string uri, string scheme) => Regex.IsMatch(uri, "^" + scheme + "://", RegexOptions.CultureInvariant);

    internal static bool Matches(string value, string pattern) => Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant);
}
