using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Serval.Bench.Worker;

/// <summary>
/// A server under test running as its own process (serval-worker or the Node peer). It is ready when it
/// prints the line the caller waits for; that line also says where it listens (started on port 0, so no
/// two runs race for a port).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 30;

    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public static async Task<ServerProcess> StartAsync(
        string fileName, IEnumerable<string> arguments, Regex readyLine, Func<Match, Uri> address, TimeSpan timeout,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new Queue<string>();
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Enqueue(line);
                if (lines.Count > KeptLines)
                {
                    lines.Dequeue();
                }
            }

            if (readyLine.Match(line) is { Success: true } match)
            {
                ready.TrySetResult(address(match));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException(
            $"{Path.GetFileName(fileName)} exited with {process.ExitCode} before it was ready:{Environment.NewLine}{string.Join(Environment.NewLine, Snapshot(lines))}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var uri = await ready.Task.WaitAsync(timeout).ConfigureAwait(false);
            return new ServerProcess(process, uri);
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop(_process);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    private static string[] Snapshot(Queue<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }
}
