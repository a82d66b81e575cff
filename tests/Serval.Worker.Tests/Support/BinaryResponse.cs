using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Serval.Worker.Tests.Support;

/// <summary>Splits a binary tensor data extension response into its JSON part and the bytes after it.</summary>
internal static class BinaryResponse
{
    public static async Task<(JsonNode Json, byte[] Binary)> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), Encoding.UTF8.GetString(body));
        var length = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), CultureInfo.InvariantCulture);
        return (JsonNode.Parse(body.AsSpan(0, length))!, body[length..]);
    }
}
