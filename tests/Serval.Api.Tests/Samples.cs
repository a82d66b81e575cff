using System.Text.Json.Nodes;
using k8s;
using Serval.Api.V1Alpha1;
using Serval.LocalCluster.Json;

namespace Serval.Api.Tests;

/// <summary>The sample manifests: samples/*.yaml (valid) and samples/invalid/*.yaml (each refused, as its header says).</summary>
internal static class Samples
{
    public static IEnumerable<string> Valid() =>
        Directory.GetFiles(RepositoryFiles.PathOf("samples"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static IEnumerable<string> Invalid() =>
        Directory.GetFiles(RepositoryFiles.PathOf("samples/invalid"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static string ValidText(string file) => RepositoryFiles.Read(Path.Combine("samples", file));

    public static string InvalidText(string file) => RepositoryFiles.Read(Path.Combine("samples", "invalid", file));

    /// <summary>Every document of a file as the API server reads it (YAML 1.1 scalars, as sigs.k8s.io/yaml).</summary>
    public static IReadOnlyList<JsonObject> Documents(string yaml) => YamlJson.ParseDocuments(yaml);

    /// <summary>Every document of a file deserialized into its C# type, refusing unknown fields.</summary>
    public static IReadOnlyList<object> Objects(string yaml) =>
        KubernetesYaml.LoadAllFromString(yaml, new Dictionary<string, Type>
        {
            [$"{InferenceService.ApiVersionString}/{InferenceService.KubeKind}"] = typeof(InferenceService),
        }, strict: true);

    /// <summary>The single InferenceService of a file.</summary>
    public static InferenceService Service(string yaml) => Objects(yaml).OfType<InferenceService>().Single();

    public static JsonObject ServiceDocument(string yaml) =>
        Documents(yaml).Single(d => (string?)d["kind"] == InferenceService.KubeKind);

    /// <summary>The value of a <c># key: value</c> header line.</summary>
    public static string Header(string yaml, string key)
    {
        var prefix = "# " + key + ": ";
        return yaml.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].TrimEnd()
            ?? throw new InvalidOperationException($"no \"{prefix}\" header");
    }
}
