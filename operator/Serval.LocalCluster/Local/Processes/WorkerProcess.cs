using System.Diagnostics;

namespace Serval.LocalCluster.Local.Processes;

/// <summary>
/// One running container process: its output appended to the pod's log file, the last lines kept for the
/// termination message, and a graceful stop (SIGTERM, then SIGKILL after the grace period).
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private const int TailLines = 20;

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private readonly Queue<string> _tail = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    /// <summary>The OS process id.</summary>
    public int Id => _process.Id;

    /// <summary>When the process started.</summary>
    public DateTimeOffset StartedAt { get; private init; }

    /// <summary>Completes with the exit code when the process ends.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Starts <paramref name="executable"/> with <paramref name="command"/>, logging to <paramref name="logFile"/>.</summary>
    public static WorkerProcess Start(string executable, WorkerCommand command, string workingDirectory, string logFile, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(executable);
        ArgumentNullException.ThrowIfNull(command);
        Directory.CreateDirectory(workingDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in command.Arguments)
        {
            info.ArgumentList.Add(arg);
        }

        // The host's own worker settings must not leak into a pod: only the pod's env configures it.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("SERVAL_WORKER_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in command.Environment)
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, log) { StartedAt = now };
        process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        process.Exited += (_, _) => worker.OnExited();
        try
        {
            process.Start();
        }
        catch
        {
            log.Dispose();
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>The last lines the process wrote (stdout and stderr), oldest first.</summary>
    public string Tail()
    {
        lock (_gate)
        {
            return string.Join('\n', _tail);
        }
    }

    /// <summary>Total CPU time (user + system) the process has used so far; null once it has exited.</summary>
    public TimeSpan? CpuTime()
    {
        try
        {
            return _process.HasExited ? null : _process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The process's resident memory in bytes; null once it has exited.</summary>
    public double? WorkingSetBytes()
    {
        try
        {
            if (_process.HasExited)
            {
                return null;
            }

            _process.Refresh();
            return _process.WorkingSet64;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>SIGTERM, then SIGKILL (with its children) if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_exited.Task.IsCompleted)
        {
            return;
        }

        if (grace > TimeSpan.Zero && ProcessSignals.Terminate(_process.Id))
        {
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _exited.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // Grace period over: kill below.
            }
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        await _exited.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _process.Dispose();
        lock (_gate)
        {
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }

            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after the pod is gone has nowhere to go.
            }
        }
    }

    private void OnExited()
    {
        // WaitForExit() without a timeout also drains the redirected output, so the tail is complete.
        _process.WaitForExit();
        _exited.TrySetResult(_process.ExitCode);
    }
}
