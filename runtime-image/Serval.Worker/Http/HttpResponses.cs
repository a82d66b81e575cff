using System.Text.Json;
using Serval.Worker.Protocol;

namespace Serval.Worker.Http;

/// <summary>Writes JSON bodies from pooled buffers with an exact Content-Length.</summary>
internal static class HttpResponses
{
    public static async Task WriteJsonAsync<TState>(HttpContext context, int status, TState state, Action<Utf8JsonWriter, TState> write)
    {
        using var buffer = new PooledBufferWriter(1024);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            write(json, state);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.BodyWriter.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>{"error": message}</c> with the given status.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteJsonAsync(context, status, message, static (json, text) =>
        {
            json.WriteStartObject();
            json.WriteString("error"u8, text);
            json.WriteEndObject();
        });
}
