namespace Serval.LocalCluster.Local.Proxy;

/// <summary>How an HTTPRoute path match compares the request path.</summary>
public enum PathMatchType
{
    PathPrefix,
    Exact,
    RegularExpression,
}
