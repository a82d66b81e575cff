using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Serval.Bench.Worker;

/// <summary>
/// The one HTTP client every target gets: HttpClient over SocketsHttpHandler, HTTP/1.1 keep-alive, one
/// connection per concurrent caller, pre-built bodies, responses read to the end and checked for 200.
/// </summary>
internal sealed class V2Client : IDisposable
{
    private const string BinaryHeader = "Inference-Header-Content-Length";
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private static readonly MediaTypeHeaderValue OctetType = new("application/octet-stream");

    private readonly HttpClient _http;
    private readonly Uri _infer;

    public V2Client(Uri baseAddress, string model, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        _infer = new Uri($"v2/models/{model}/infer", UriKind.Relative);
        Model = model;
    }

    public string Model { get; }

    /// <summary>Sends one request and reads the answer to the end into <paramref name="scratch"/>; returns the answer's length.</summary>
    public async Task<long> InferAsync(InferBody body, byte[] scratch)
    {
        using var request = Request(body);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(scratch).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"POST {_infer} answered {(int)response.StatusCode}");
            }

            return total;
        }
    }

    /// <summary>Sends one request and decodes the first output as FP32 (JSON or binary answer), to check what a target computes.</summary>
    public async Task<(float[] Output, long ResponseBytes)> InferOnceAsync(InferBody body)
    {
        using var request = Request(body);
        using var response = await _http.SendAsync(request).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST {_infer} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        }

        var jsonLength = bytes.Length;
        if (response.Headers.TryGetValues(BinaryHeader, out var values))
        {
            jsonLength = int.Parse(values.First(), CultureInfo.InvariantCulture);
        }

        using var document = JsonDocument.Parse(bytes.AsMemory(0, jsonLength));
        var output = document.RootElement.GetProperty("outputs")[0];
        if (output.TryGetProperty("data", out var data))
        {
            return (data.EnumerateArray().Select(v => v.GetSingle()).ToArray(), bytes.Length);
        }

        var size = output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32();
        var floats = new float[size / sizeof(float)];
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(jsonLength + (i * sizeof(float))));
        }

        return (floats, bytes.Length);
    }

    /// <summary>The model's inputs and outputs as the server describes them (<c>GET /v2/models/{m}</c>).</summary>
    public async Task<ModelMetadata> MetadataAsync()
    {
        var bytes = await _http.GetByteArrayAsync(new Uri($"v2/models/{Model}", UriKind.Relative)).ConfigureAwait(false);
        using var document = JsonDocument.Parse(bytes);
        static IReadOnlyList<TensorMetadata> Specs(JsonElement array) =>
            array.EnumerateArray().Select(e => new TensorMetadata(
                e.GetProperty("name").GetString()!,
                e.GetProperty("datatype").GetString()!,
                e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray())).ToArray();
        return new ModelMetadata(Specs(document.RootElement.GetProperty("inputs")), Specs(document.RootElement.GetProperty("outputs")));
    }

    /// <summary>The worker's batch size histogram so far (rows and session calls).</summary>
    public async Task<BatchStats> BatchStatsAsync()
    {
        var text = await _http.GetStringAsync(new Uri("metrics", UriKind.Relative)).ConfigureAwait(false);
        double Value(string series) => text.Split('\n')
            .Where(l => l.StartsWith(series, StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return new BatchStats(Value("serval_inference_batch_size_sum"), Value("serval_inference_batch_size_count"));
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(InferBody body)
    {
        var content = new ByteArrayContent(body.Bytes);
        content.Headers.ContentType = body.JsonLengthHeader is null ? JsonType : OctetType;
        var request = new HttpRequestMessage(HttpMethod.Post, _infer) { Content = content, Version = HttpVersion.Version11 };
        if (body.JsonLengthHeader is { } header)
        {
            request.Headers.TryAddWithoutValidation(BinaryHeader, header);
        }

        return request;
    }
}
