using System.Diagnostics;

namespace Serval.Bench.Worker;

/// <summary>
/// A closed-loop load generator: each of N callers sends its next request as soon as the previous one
/// answers. Requests that complete during the warm-up are not counted; the measured window follows it.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>Asynchronous callers (HTTP): N loops on the thread pool.</summary>
    public static async Task<Measurement> RunAsync(int concurrency, TimeSpan warmUp, TimeSpan duration, Func<int, Task> call)
    {
        var window = Window.Starting(warmUp, duration);
        var samples = new List<long>[concurrency];
        var callers = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var caller = i;
            samples[caller] = new List<long>(4096);
            callers[caller] = Task.Run(async () =>
            {
                while (true)
                {
                    var sent = Stopwatch.GetTimestamp();
                    if (sent >= window.To)
                    {
                        return;
                    }

                    await call(caller).ConfigureAwait(false);
                    window.Record(samples[caller], sent, Stopwatch.GetTimestamp());
                }
            });
        }

        await Task.WhenAll(callers).ConfigureAwait(false);
        return window.Measure(concurrency, samples);
    }

    /// <summary>Blocking callers (an in-process session call): N dedicated threads, no thread-pool hop in the way.</summary>
    public static Measurement RunThreads(int concurrency, TimeSpan warmUp, TimeSpan duration, Action<int> call)
    {
        var window = Window.Starting(warmUp, duration);
        var samples = new List<long>[concurrency];
        var threads = new Thread[concurrency];
        Exception? failure = null;
        for (var i = 0; i < concurrency; i++)
        {
            var caller = i;
            samples[caller] = new List<long>(4096);
            threads[caller] = new Thread(() =>
            {
                try
                {
                    while (true)
                    {
                        var sent = Stopwatch.GetTimestamp();
                        if (sent >= window.To)
                        {
                            return;
                        }

                        call(caller);
                        window.Record(samples[caller], sent, Stopwatch.GetTimestamp());
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            }) { IsBackground = true, Name = $"bench-caller-{caller}" };
            threads[caller].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        if (failure is not null)
        {
            throw new InvalidOperationException($"an in-process call failed: {failure.Message}", failure);
        }

        return window.Measure(concurrency, samples);
    }

    private sealed record Window(long From, long To, double Seconds)
    {
        public static Window Starting(TimeSpan warmUp, TimeSpan duration)
        {
            var from = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
            return new Window(from, from + (long)(duration.TotalSeconds * Stopwatch.Frequency), duration.TotalSeconds);
        }

        public void Record(List<long> samples, long sent, long answered)
        {
            if (answered >= From && answered <= To)
            {
                samples.Add(answered - sent);
            }
        }

        public Measurement Measure(int concurrency, List<long>[] samples)
        {
            var all = samples.SelectMany(s => s).ToArray();
            Array.Sort(all);
            return new Measurement(concurrency, Seconds, all);
        }
    }
}
