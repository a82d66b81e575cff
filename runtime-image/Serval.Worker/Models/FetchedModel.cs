namespace Serval.Worker.Models;

/// <summary>A model file ready to load; disposing removes it when it was downloaded to a temporary directory.</summary>
internal sealed record FetchedModel(string Path, string? Sha256, string? TemporaryDirectory = null) : IDisposable
{
    public void Dispose()
    {
        if (TemporaryDirectory is not null && Directory.Exists(TemporaryDirectory))
        {
            Directory.Delete(TemporaryDirectory, recursive: true);
        }
    }
}
