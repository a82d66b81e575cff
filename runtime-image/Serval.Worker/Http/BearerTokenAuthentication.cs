using System.Security.Cryptography;
using System.Text;
using Serval.Worker.Observability;

namespace Serval.Worker.Http;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;token&gt;</c> on every endpoint except health and
/// metrics, which probes and scrapers reach without credentials. Tokens are compared as SHA-256
/// digests with a fixed-time comparison, so neither content nor length leaks through timing.
/// </summary>
internal sealed class BearerTokenAuthentication(byte[] expectedDigest, WorkerMetrics metrics)
{
    /// <summary>Reads the token from <paramref name="path"/> (surrounding whitespace ignored).</summary>
    /// <exception cref="ArgumentException">The file cannot be read or holds no token.</exception>
    public static BearerTokenAuthentication FromFile(string path, WorkerMetrics metrics)
    {
        string token;
        try
        {
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--auth-token-file '{path}' cannot be read: {e.Message}", nameof(path), e);
        }

        return token.Length == 0
            ? throw new ArgumentException($"--auth-token-file '{path}' is empty; it must hold the bearer token", nameof(path))
            : new BearerTokenAuthentication(SHA256.HashData(Encoding.UTF8.GetBytes(token)), metrics);
    }

    public static bool IsOpen(PathString path) =>
        path.StartsWithSegments("/v2/health", StringComparison.Ordinal) || path.Equals("/metrics", StringComparison.Ordinal);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (IsOpen(context.Request.Path) || Authorized(context.Request.Headers.Authorization.ToString()))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var isInfer = context.Request.Path.Value?.EndsWith("/infer", StringComparison.Ordinal) == true;
        if (isInfer)
        {
            metrics.RequestStarted();
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await HttpResponses.WriteErrorAsync(
            context, 401, "missing or invalid bearer token: send the header 'Authorization: Bearer <token>'").ConfigureAwait(false);
        if (isInfer)
        {
            metrics.RequestFinished(RequestOutcome.ClientError, TimeSpan.Zero, 0, TimeSpan.Zero, TimeSpan.Zero);
        }
    }

    private bool Authorized(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(digest, expectedDigest);
    }
}
