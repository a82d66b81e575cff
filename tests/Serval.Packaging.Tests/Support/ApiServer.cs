using Serval.LocalCluster;

namespace Serval.Packaging.Tests.Support;

/// <summary>An embedded API server with a kubeconfig on disk for helm and kubectl.</summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly string _directory;

    private ApiServer(EmbeddedApiServer server, string directory)
    {
        Server = server;
        _directory = directory;
        Kubeconfig = System.IO.Path.Combine(directory, "kubeconfig");
        server.WriteKubeconfig(Kubeconfig);
    }

    public EmbeddedApiServer Server { get; }

    public string Kubeconfig { get; }

    public string Directory => _directory;

    public static async Task<ApiServer> StartAsync(params string[] namespaces)
    {
        var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { Port = 0 });
        foreach (var ns in namespaces)
        {
            server.Apply(new System.Text.Json.Nodes.JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ns },
            });
        }

        return new ApiServer(server, System.IO.Directory.CreateTempSubdirectory("serval-packaging-").FullName);
    }

    /// <summary>Writes <paramref name="content"/> to a file beside the kubeconfig and answers its path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = System.IO.Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
