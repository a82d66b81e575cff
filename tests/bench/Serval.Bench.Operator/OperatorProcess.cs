using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Serval.Bench.Operator;

/// <summary>`serval-operator run` as a child process, with its /metrics read over HTTP and its RSS from /proc.</summary>
internal sealed partial class OperatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new();
    private readonly Uri _metrics;
    private readonly Uri _ready;

    private OperatorProcess(Process process, int port)
    {
        _process = process;
        _metrics = new Uri($"http://127.0.0.1:{port}/metrics");
        _ready = new Uri($"http://127.0.0.1:{port}/readyz");
    }

    /// <param name="kubeconfig">The cluster to run against.</param>
    /// <param name="port">Its metrics and health port.</param>
    /// <param name="environment">Variables set for the operator on top of the benchmark's own.</param>
    public static OperatorProcess Start(string kubeconfig, int port, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var dll = Path.Combine(AppContext.BaseDirectory, "serval-operator.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "run", "--kubeconfig", kubeconfig, "--leader-elect", "false", "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--max-concurrent-reconciles", "8" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start serval-operator");
        process.OutputDataReceived += (_, e) => Report(e.Data);
        process.ErrorDataReceived += (_, e) => Report(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new OperatorProcess(process, port);
    }

    public async Task WaitReadyAsync(TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await _http.GetAsync(_ready).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (_process.HasExited || clock.Elapsed > deadline)
            {
                throw new InvalidOperationException($"serval-operator did not become ready (exited: {_process.HasExited})");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until at least <paramref name="reconciles"/> reconciles succeeded and the queue is empty.</summary>
    public async Task WaitIdleAsync(int reconciles, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var text = await _http.GetStringAsync(_metrics).ConfigureAwait(false);
            var done = Sum(text, "serval_reconcile_total", "result=\"success\"");
            var depth = Sum(text, "serval_workqueue_depth", string.Empty);
            if (done >= reconciles && depth == 0)
            {
                return;
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"operator not idle: {done} reconciles, queue depth {depth}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static void Report(string? line)
    {
        // Only trouble is shown: the operator's routine logs would drown the table.
        if (line is not null && (line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("warn", StringComparison.OrdinalIgnoreCase)))
        {
            Console.Error.WriteLine($"operator: {line}");
        }
    }

    public double RssMiB() => ProcStatus("VmRSS");

    public double PeakRssMiB() => ProcStatus("VmHWM");

    public async Task StopAsync()
    {
        // SIGTERM: the operator finishes in-flight reconciles and exits.
        Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
        _http.Dispose();
    }

    private double ProcStatus(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kib = long.Parse(Digits().Match(line).Value, CultureInfo.InvariantCulture);
                return kib / 1024.0;
            }
        }

        throw new InvalidOperationException($"/proc/{_process.Id}/status has no {field}");
    }

    private static double Sum(string metrics, string name, string labelFilter)
    {
        double total = 0;
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && (line.Length == name.Length || line[name.Length] is '{' or ' ') && line.Contains(labelFilter, StringComparison.Ordinal))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
