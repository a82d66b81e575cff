using System.Net;
using k8s.Models;

namespace Serval.Operator.Metrics;

/// <summary>
/// Reads workers' <c>/metrics</c> over HTTP with bounded concurrency and a per-pod timeout. A pod that does not
/// answer, answers with an error or with text that does not parse yields no snapshot: missing, never zero load.
/// </summary>
internal sealed partial class WorkerScraper : IDisposable
{
    /// <summary>The worker's container port name (and its default number).</summary>
    public const string PortName = "http";

    private const int DefaultPort = 8080;

    private readonly HttpClient _http;
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public WorkerScraper(TimeSpan timeout, int maxConcurrency, TimeProvider time, ILogger logger, HttpMessageHandler? handler = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _slots = new SemaphoreSlim(maxConcurrency);
        _timeout = timeout;
        _time = time;
        _logger = logger;
    }

    /// <summary>Where to read a pod, or null when it is not ready or has no IP yet.</summary>
    public static ScrapeTarget? TargetOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ready = pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false;
        if (!ready || string.IsNullOrEmpty(pod.Status?.PodIP) || pod.Metadata?.Name is not { } name)
        {
            return null;
        }

        var port = pod.Spec?.Containers?.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == PortName)?.ContainerPort ?? DefaultPort;
        var host = IPAddress.TryParse(pod.Status.PodIP, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{pod.Status.PodIP}]"
            : pod.Status.PodIP;
        return new ScrapeTarget(name, new Uri($"http://{host}:{port}/metrics"));
    }

    /// <summary>Reads every target; the result maps each pod to its snapshot, or to null when it could not be read.</summary>
    public async Task<IReadOnlyDictionary<string, WorkerSnapshot?>> ScrapeAsync(IEnumerable<ScrapeTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var reads = targets.Select(async t => (t.Pod, Snapshot: await ScrapeOneAsync(t, cancellationToken).ConfigureAwait(false))).ToList();
        var results = await Task.WhenAll(reads).ConfigureAwait(false);
        return results.ToDictionary(r => r.Pod, r => r.Snapshot, StringComparer.Ordinal);
    }

    private async Task<WorkerSnapshot?> ScrapeOneAsync(ScrapeTarget target, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            using var response = await _http.GetAsync(target.MetricsUrl, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogScrapeStatus(_logger, target.Pod, target.MetricsUrl, (int)response.StatusCode);
                return null;
            }

            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return WorkerSnapshot.From(PrometheusTextParser.Parse(text), _time.GetUtcNow());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogScrapeTimeout(_logger, target.Pod, target.MetricsUrl, _timeout.TotalSeconds);
            return null;
        }
        catch (HttpRequestException e)
        {
            LogScrapeFailed(_logger, target.Pod, target.MetricsUrl, e.Message);
            return null;
        }
        catch (PrometheusFormatException e)
        {
            LogScrapeFailed(_logger, target.Pod, target.MetricsUrl, e.Message);
            return null;
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _slots.Dispose();
    }
}
