using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Serval.Operator.Rollout.Canary;

namespace Serval.Operator.Rollout.SmokeTest;

/// <summary>
/// Sends each smoke-test request to a pod of the stable revision and to a pod of the new one, and compares the
/// answers. A new revision that answers an error, or answers differently beyond the tolerance, fails; a stable
/// revision that cannot answer makes the test unavailable (<see cref="SmokeTestUnavailableException"/>), since
/// there is nothing to compare with.
/// </summary>
internal sealed partial class SmokeTestRunner(HttpClient http, ILogger<SmokeTestRunner> logger)
{
    /// <summary>How long one request may take.</summary>
    internal static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs the smoke test.</summary>
    /// <param name="requests">The requests, from <see cref="SmokeTestRequests.Read"/>.</param>
    /// <param name="model">The served model name, the <c>{model}</c> in <c>/v2/models/{model}/infer</c>.</param>
    /// <param name="canary">The new revision's pod, e.g. http://10.0.0.7:8080/.</param>
    /// <param name="stable">A stable revision's pod.</param>
    /// <param name="tolerance">The largest absolute difference allowed per output value.</param>
    /// <param name="cancellationToken">Stops the test.</param>
    /// <exception cref="SmokeTestUnavailableException">The stable revision, or the canary's pod, could not be reached.</exception>
    public async Task<SmokeTestResult> RunAsync(
        IReadOnlyList<SmokeTestRequest> requests, string model, Uri canary, Uri stable, double tolerance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentException.ThrowIfNullOrEmpty(model);
        var path = $"v2/models/{Uri.EscapeDataString(model)}/infer";
        foreach (var request in requests)
        {
            using var expected = await SendAsync(new Uri(stable, path), request, cancellationToken).ConfigureAwait(false);
            if (!expected.Ok)
            {
                throw new SmokeTestUnavailableException(
                    $"{request.Key}: the stable revision answered HTTP {expected.Status}: {expected.Error}");
            }

            using var actual = await SendAsync(new Uri(canary, path), request, cancellationToken).ConfigureAwait(false);
            if (!actual.Ok)
            {
                return Fail(request, $"answered HTTP {actual.Status}: {actual.Error}");
            }

            if (SmokeTestComparer.FirstMismatch(expected.Body!.RootElement, actual.Body!.RootElement, tolerance) is { } mismatch)
            {
                return Fail(request, mismatch);
            }
        }

        var passed = requests.Count == 1
            ? $"{requests[0].Key} answered like the stable revision (tolerance {Number(tolerance)})"
            : $"{requests.Count} requests answered like the stable revision (tolerance {Number(tolerance)})";
        LogPassed(logger, canary, requests.Count);
        return new SmokeTestResult(true, passed);
    }

    private SmokeTestResult Fail(SmokeTestRequest request, string why)
    {
        var message = $"{request.Key}: {why}";
        LogFailed(logger, message);
        return new SmokeTestResult(false, message);
    }

    private async Task<Answer> SendAsync(Uri uri, SmokeTestRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var content = new StringContent(request.Body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await http.PostAsync(uri, content, timeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return new Answer(false, status, null, ErrorOf(text));
            }

            try
            {
                return new Answer(true, status, JsonDocument.Parse(text), null);
            }
            catch (JsonException)
            {
                return new Answer(false, status, null, "the body is not JSON");
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new SmokeTestUnavailableException($"{request.Key}: {uri.GetLeftPart(UriPartial.Authority)} did not answer: {e.Message}", e);
        }
    }

    private static string ErrorOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String)
            {
                return error.GetString() ?? string.Empty;
            }
        }
        catch (JsonException)
        {
            // Not the worker's error shape; show the start of the body instead.
        }

        return body.Length > 200 ? body[..200] : body;
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private sealed record Answer(bool Ok, int Status, JsonDocument? Body, string? Error) : IDisposable
    {
        public void Dispose() => Body?.Dispose();
    }
}
