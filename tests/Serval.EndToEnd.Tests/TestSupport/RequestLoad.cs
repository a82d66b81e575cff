namespace Serval.EndToEnd.Tests.TestSupport;

/// <summary>
/// Steady V2 traffic to a URL, as users would send it: a few clients each sending samples/requests/{model}.json one
/// after another, every answer kept, until stopped.
/// </summary>
internal sealed class RequestLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Answer> _answers = [];
    private readonly Task[] _clients;

    private RequestLoad(HttpClient http, string url, string model, int clients)
    {
        _clients = [.. Enumerable.Range(0, clients).Select(_ => Task.Run(() => SendAsync(http, url, model)))];
    }

    /// <summary>Answers so far.</summary>
    public int Count
    {
        get
        {
            lock (_answers)
            {
                return _answers.Count;
            }
        }
    }

    public static RequestLoad Start(HttpClient http, string url, string model, int clients = 2) => new(http, url, model, clients);

    /// <summary>Waits until at least <paramref name="count"/> answers came.</summary>
    public Task AtLeastAsync(int count, TimeSpan timeout) =>
        Eventually.ValueAsync(() => Count, n => n >= count, $"{count} answers", timeout);

    /// <summary>Stops the clients and returns every answer, in the order they came.</summary>
    public async Task<List<Answer>> StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await Task.WhenAll(_clients);
        lock (_answers)
        {
            return [.. _answers];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task SendAsync(HttpClient http, string url, string model)
    {
        while (!_stop.IsCancellationRequested)
        {
            var (status, body) = await Samples.InferAsync(http, url, model);
            lock (_answers)
            {
                _answers.Add(new Answer(status, Answer.OutputOf(body)));
            }
        }
    }
}
