namespace Serval.LocalCluster.Resources;

/// <summary>Which name rule a resource's objects follow.</summary>
public enum NameFormat
{
    Dns1123Subdomain,
    Dns1123Label,
    PathSegment,
}
