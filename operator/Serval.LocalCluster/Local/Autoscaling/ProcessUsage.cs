using Serval.LocalCluster.Local.Processes;

namespace Serval.LocalCluster.Local.Autoscaling;

/// <summary>
/// CPU and memory use of the pods' worker processes, what metrics-server would report: CPU as the rate of the
/// process's CPU time (user + system, from /proc/&lt;pid&gt;/stat) since the previous sample, or since the process
/// started on the first; memory as the working set.
/// </summary>
public sealed class ProcessUsage
{
    private readonly LocalKubelet _kubelet;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (TimeSpan Cpu, DateTimeOffset At)> _last = [];

    public ProcessUsage(LocalKubelet kubelet, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(kubelet);
        ArgumentNullException.ThrowIfNull(time);
        _kubelet = kubelet;
        _time = time;
    }

    /// <summary>The pod's CPU use in cores, or null when it runs no process.</summary>
    public double? CpuCores(string podUid)
    {
        var process = _kubelet.FindByUid(podUid)?.Process;
        if (process?.CpuTime() is not { } cpu)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var (previousCpu, previousAt) = _last.TryGetValue(podUid, out var last) && last.Cpu <= cpu
                ? last
                : (TimeSpan.Zero, process.StartedAt);
            _last[podUid] = (cpu, now);
            var elapsed = (now - previousAt).TotalSeconds;
            return elapsed <= 0 ? null : (cpu - previousCpu).TotalSeconds / elapsed;
        }
    }

    /// <summary>The pod's memory working set in bytes, or null when it runs no process.</summary>
    public double? MemoryBytes(string podUid) => _kubelet.FindByUid(podUid)?.Process?.WorkingSetBytes();
}
