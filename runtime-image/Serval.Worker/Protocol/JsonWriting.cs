using System.Text.Encodings.Web;
using System.Text.Json;

namespace Serval.Worker.Protocol;

/// <summary>Writer settings for every JSON body.</summary>
internal static class JsonWriting
{
    /// <summary>
    /// Escapes only what JSON requires, so error messages keep their quotes readable
    /// ('input' rather than \u0027input\u0027); bodies are served as application/json, never HTML.
    /// </summary>
    public static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };
}
