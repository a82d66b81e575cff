using System.Text.RegularExpressions;

namespace Serval.LocalCluster.Resources;

/// <summary>Kubernetes name formats, with the messages kube-apiserver gives when a name breaks them.</summary>
internal static partial class NameRules
{
    public static string? Dns1123Subdomain(string name)
    {
        if (name.Length > 253)
        {
            return "must be no more than 253 characters";
        }

        return SubdomainPattern().IsMatch(name)
            ? null
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    }

    public static string? Dns1123Label(string name)
    {
        if (name.Length > 63)
        {
            return "must be no more than 63 characters";
        }

        return LabelPattern().IsMatch(name)
            ? null
            : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    }

    public static string? PathSegment(string name) =>
        name is "." or ".." ? $"may not be '{name}'"
        : name.Contains('/', StringComparison.Ordinal) ? "may not contain '/'"
        : name.Contains('%', StringComparison.Ordinal) ? "may not contain '%'"
        : null;

    public static string? LabelValue(string value)
    {
        if (value.Length > 63)
        {
            return "must be no more than 63 characters";
        }

        return value.Length == 0 || LabelValuePattern().IsMatch(value)
            ? null
            : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    }

    public static string? QualifiedName(string key)
    {
        var slash = key.LastIndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && Dns1123Subdomain(key[..slash]) is { } prefixError)
        {
            return $"prefix part {prefixError}";
        }

        if (name.Length is 0 or > 63 || !LabelValuePattern().IsMatch(name))
        {
            return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with at most 63 characters";
        }

        return null;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainPattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex LabelPattern();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValuePattern();
}
