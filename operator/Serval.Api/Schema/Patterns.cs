namespace Serval.Api.Schema;

/// <summary>
/// Regular expressions shared by attributes and rules, written without backslashes so that they read the same in
/// .NET, in RE2 and inside a CEL string literal.
/// </summary>
internal static class Patterns
{
    /// <summary>A lowercase RFC 1123 subdomain (object names such as ConfigMaps, Secrets, classes).</summary>
    public const string DnsSubdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A lowercase RFC 1123 label (namespaces).</summary>
    public const string DnsLabel = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>An RFC 1035 label: starts with a letter (Service names).</summary>
    public const string Dns1035Label = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>A hostname a Gateway listener can match: a lowercase DNS name, optionally with a leading "*.".</summary>
    public const string Hostname = "^([*][.])?[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A ConfigMap or Secret key.</summary>
    public const string ConfigKey = "^[-._a-zA-Z0-9]+$";

    /// <summary>A label value (GPU product names as GPU Feature Discovery writes them).</summary>
    public const string LabelValue = "^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";
}
