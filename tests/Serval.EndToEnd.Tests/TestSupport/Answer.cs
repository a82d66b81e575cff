using System.Text.Json.Nodes;

namespace Serval.EndToEnd.Tests.TestSupport;

/// <summary>One answer to a V2 infer request: the HTTP status (0 when none came) and the first output's values.</summary>
internal sealed record Answer(int Status, double[]? Output)
{
    public static double[]? OutputOf(JsonNode? body) =>
        body?["outputs"]?[0]?["data"] is JsonArray data ? [.. data.Select(v => v!.GetValue<double>())] : null;
}
