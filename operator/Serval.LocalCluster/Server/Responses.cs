using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Serval.LocalCluster.Json;

namespace Serval.LocalCluster.Server;

/// <summary>Writes JSON bodies and Status objects the way kube-apiserver does.</summary>
internal static class Responses
{
    public const string Json = "application/json";

    public static Task WriteJsonAsync(HttpContext ctx, int code, JsonNode body, CancellationToken ct, string contentType = Json)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = contentType;
        return ctx.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, JsonObjects.Compact), ct).AsTask();
    }

    public static Task WriteBytesAsync(HttpContext ctx, int code, byte[] body, CancellationToken ct)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = Json;
        ctx.Response.ContentLength = body.Length;
        return ctx.Response.Body.WriteAsync(body, ct).AsTask();
    }

    public static Task WriteStatusAsync(HttpContext ctx, ApiException e, CancellationToken ct)
    {
        if (e.RetryAfterSeconds is { } retry)
        {
            ctx.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteJsonAsync(ctx, e.Code, e.ToStatus(), ct);
    }

    public static JsonObject Success(string name, string group, string kind, string uid)
    {
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        details["uid"] = uid;
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    public static void AddWarnings(HttpContext ctx, IReadOnlyList<string> warnings)
    {
        foreach (var w in warnings)
        {
            ctx.Response.Headers.Append("Warning", $"299 - \"{w.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }

    public static Task WriteTextAsync(HttpContext ctx, int code, string text, CancellationToken ct)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        return ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask();
    }
}
