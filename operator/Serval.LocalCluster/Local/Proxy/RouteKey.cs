namespace Serval.LocalCluster.Local.Proxy;

/// <summary>The Service or HTTPRoute a proxy listener stands for.</summary>
public sealed record RouteKey(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
