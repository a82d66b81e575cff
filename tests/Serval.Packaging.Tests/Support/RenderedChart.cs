using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;

namespace Serval.Packaging.Tests.Support;

/// <summary>The manifests <c>helm template</c> rendered, as JSON objects, with the YAML kept for kubectl.</summary>
internal sealed record RenderedChart(string Yaml, IReadOnlyList<JsonObject> Objects)
{
    public const string ReleaseName = "serval";
    public const string Namespace = "serval-system";

    /// <summary>Renders charts/serval with the given <c>--set</c> values (and <c>--include-crds</c>).</summary>
    public static async Task<RenderedChart> TemplateAsync(params string[] sets)
    {
        var result = await TryTemplateAsync(sets);
        var yaml = result.Ok();
        return new RenderedChart(yaml, YamlJson.ParseDocuments(yaml));
    }

    /// <summary>Runs <c>helm template</c> and answers what it said, succeeded or not.</summary>
    public static async Task<ToolResult> TryTemplateAsync(params string[] sets)
    {
        using var helm = Tool.Helm();
        var args = new List<string> { "template", ReleaseName, Repository.ChartDirectory, "--namespace", Namespace, "--include-crds" };
        foreach (var set in sets)
        {
            args.Add("--set");
            args.Add(set);
        }

        return await helm.RunAsync([.. args]);
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind) => OfKind(kind).Single();

    public JsonObject Single(string kind, string name) =>
        OfKind(kind).Single(o => (string?)o["metadata"]?["name"] == name);

    public IReadOnlyList<string> Kinds => Objects.Select(o => (string)o["kind"]!).Distinct().Order(StringComparer.Ordinal).ToList();
}
