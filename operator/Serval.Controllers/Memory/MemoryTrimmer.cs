using Microsoft.Extensions.Logging;
using Serval.Controllers.Monitoring;

namespace Serval.Controllers.Memory;

/// <summary>
/// Hands the memory of a burst back to the OS once the burst is over. A controller's work comes in bursts (the first
/// sync, a fleet-wide change) between long quiet spells, and the garbage collector keeps what a burst made it commit:
/// it gives memory back only as it collects, and a quiet process hardly collects. So when every controller's queue
/// has been empty at two looks in a row, at least <see cref="MemoryTrimOptions.MinAllocatedBytes"/> were allocated
/// since the last trim and <see cref="MemoryTrimOptions.MinInterval"/> has passed, the trimmer compacts the heap once
/// and decommits what is free. At 1,000 InferenceServices that is 8-10 MiB of RSS after the first sync, for one
/// full collection of a heap of a few tens of MiB.
/// </summary>
public sealed partial class MemoryTrimmer
{
    private readonly MemoryTrimOptions _options;
    private readonly IManagedHeap _heap;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ControllerMetrics? _metrics;
    private long _allocatedAtLastTrim;
    private DateTimeOffset? _lastTrim;
    private bool _idleAtLastLook;

    public MemoryTrimmer(MemoryTrimOptions options, IManagedHeap heap, TimeProvider time, ILogger logger, ControllerMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(heap);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _heap = heap;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Looks every <see cref="MemoryTrimOptions.CheckInterval"/> until cancelled.</summary>
    /// <param name="idle">Whether the work this process does is all done (every queue empty, nothing in flight).</param>
    /// <param name="cancellationToken">Stops the looks.</param>
    public async Task RunAsync(Func<bool> idle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idle);
        using var timer = new PeriodicTimer(_options.CheckInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Look(idle());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>One look: trims when the work has been idle since the last look and the rest of the rule holds.</summary>
    /// <returns>Whether it trimmed.</returns>
    public bool Look(bool idle)
    {
        var idleSinceLastLook = idle && _idleAtLastLook;
        _idleAtLastLook = idle;
        var now = _time.GetUtcNow();
        var before = _heap.Read();
        if (!idleSinceLastLook
            || before.TotalAllocatedBytes - _allocatedAtLastTrim < _options.MinAllocatedBytes
            || (_lastTrim is { } last && now - last < _options.MinInterval))
        {
            return false;
        }

        var started = _time.GetTimestamp();
        _heap.Compact();
        var after = _heap.Read();
        _allocatedAtLastTrim = after.TotalAllocatedBytes;
        _lastTrim = now;
        var returned = Math.Max(0, before.CommittedBytes - after.CommittedBytes);
        _metrics?.MemoryTrims.Inc();
        _metrics?.MemoryTrimmedBytes.Inc(returned);
        var took = _time.GetElapsedTime(started).TotalMilliseconds;
        var (committedBefore, committedAfter, inUse) = (Mebibytes(before.CommittedBytes), Mebibytes(after.CommittedBytes), Mebibytes(after.HeapSizeBytes));
        LogTrimmed(_logger, committedBefore, committedAfter, inUse, took);
        return true;
    }

    private static double Mebibytes(long bytes) => Math.Round(bytes / (1024.0 * 1024.0), 1);
}
