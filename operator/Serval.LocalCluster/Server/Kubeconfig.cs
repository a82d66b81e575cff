namespace Serval.LocalCluster.Server;

/// <summary>The kubeconfig that points kubectl, helm and client libraries at the local cluster.</summary>
internal static class Kubeconfig
{
    public const string Name = "serval-local";
    public const string Token = "serval-local";

    public static string Render(Uri server, string? caPem)
    {
        var ca = caPem is null ? string.Empty : $"\n    certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(caPem))}";
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {Name}
              cluster:
                server: {server.GetLeftPart(UriPartial.Authority)}{ca}
            contexts:
            - name: {Name}
              context:
                cluster: {Name}
                user: {Name}
                namespace: default
            current-context: {Name}
            preferences: {"{}"}
            users:
            - name: {Name}
              user:
                token: {Token}

            """;
    }
}
