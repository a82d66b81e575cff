using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Serval.EndToEnd.Tests.TestSupport;

/// <summary>The samples a user would try: the quickstart manifest and its V2 request.</summary>
internal static class Samples
{
    public static string Quickstart => Repository.File("samples/quickstart.yaml");

    /// <summary>Sends samples/requests/<paramref name="model"/>.json to the model's V2 infer endpoint.</summary>
    public static async Task<(int Status, JsonNode? Body)> InferAsync(HttpClient http, string url, string model, string? revision = null)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(Repository.File($"samples/requests/{model}.json")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/v2/models/{model}/infer") { Content = content };
        if (revision is not null)
        {
            request.Headers.Add("serval-revision", revision);
        }

        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
        }
        catch (HttpRequestException)
        {
            return (0, null);
        }
    }
}
