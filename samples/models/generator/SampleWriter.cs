using System.Text;

namespace Serval.SampleModels;

/// <summary>Writes the catalogue under a samples directory: models/&lt;name&gt;.onnx and requests/&lt;name&gt;.json.</summary>
public static class SampleWriter
{
    /// <summary>Path of a model file relative to the samples directory.</summary>
    public static string ModelPath(string samplesDirectory, string name) =>
        Path.Combine(samplesDirectory, "models", name + ".onnx");

    /// <summary>Path of a request file relative to the samples directory.</summary>
    public static string RequestPath(string samplesDirectory, string name) =>
        Path.Combine(samplesDirectory, "requests", name + ".json");

    /// <summary>Writes every sample model and request; returns the paths written.</summary>
    public static IReadOnlyList<string> WriteAll(string samplesDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(samplesDirectory);
        Directory.CreateDirectory(Path.Combine(samplesDirectory, "models"));
        Directory.CreateDirectory(Path.Combine(samplesDirectory, "requests"));
        var written = new List<string>();
        foreach (var model in SampleModels.Catalog)
        {
            var modelPath = ModelPath(samplesDirectory, model.Name);
            File.WriteAllBytes(modelPath, model.Build());
            written.Add(modelPath);
            var requestPath = RequestPath(samplesDirectory, model.Name);
            File.WriteAllText(requestPath, SampleRequests.Json(model.Name), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            written.Add(requestPath);
        }

        return written;
    }
}
