namespace Serval.LocalCluster.Local.Proxy;

/// <summary>A ready pod the proxy may forward to: its address and port, and the revision it serves (if labelled).</summary>
public sealed record ProxyEndpoint(string Pod, string? Revision, string Host, int Port)
{
    /// <summary>The destination prefix the forwarder sends to, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public string Address => $"http://{Host}:{Port}/";
}
