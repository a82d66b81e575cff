using System.ComponentModel;
using System.Globalization;
using k8s.Models;
using Serval.Controllers.Kubernetes;

namespace Serval.LocalCluster.Local.Processes;

/// <summary>
/// One pod's life as a local process, the way a kubelet runs it: volumes set up, the worker started on the
/// pod's port, readiness probed, the status written after every change, restarts per restartPolicy with a
/// doubling back-off, and the process stopped (SIGTERM, then SIGKILL) when the runtime stops.
/// Only the pod's first container runs; its image is always the local worker executable.
/// </summary>
public sealed class PodRuntime : IAsyncDisposable
{
    private static readonly TimeSpan VolumeRetry = TimeSpan.FromSeconds(1);

    // A container that ran this long without failing starts its back-off afresh (as the kubelet does).
    private static readonly TimeSpan BackoffReset = TimeSpan.FromMinutes(10);

    private readonly V1Pod _pod;
    private readonly V1Container _container;
    private readonly PodRuntimeContext _context;
    private readonly PodPaths _paths;
    private readonly string _podName;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly DateTimeOffset _startTime;
    private Task _run = Task.CompletedTask;
    private WorkerProcess? _process;
    private ContainerState _state = ContainerState.Waiting("ContainerCreating");
    private ContainerState? _lastState;
    private int _restartCount;
    private bool _ready;
    private DateTimeOffset _readySince;
    private string _phase = "Pending";
    private bool _statusDirty = true;

    public PodRuntime(V1Pod pod, PodRuntimeContext context)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(context);
        _pod = pod;
        _context = context;
        _container = pod.Spec?.Containers?.FirstOrDefault()
            ?? throw new ArgumentException($"pod '{pod.Metadata?.Name}' has no containers", nameof(pod));
        _paths = new PodPaths(context.Options.StateDirectory, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name ?? string.Empty);
        _podName = $"{pod.Metadata?.NamespaceProperty}/{pod.Metadata?.Name}";
        _startTime = context.Time.GetUtcNow();
        _readySince = _startTime;
        Port = LocalPorts.HttpPort(pod);
    }

    /// <summary>The pod's UID; a new pod of the same name is a new runtime.</summary>
    public string? Uid => _pod.Metadata?.Uid;

    /// <summary>The loopback port the worker listens on (the pod's <c>http</c> container port).</summary>
    public int? Port { get; }

    /// <summary>Where this pod's files live.</summary>
    public PodPaths Paths => _paths;

    /// <summary>The running process, or null between restarts and after the end.</summary>
    public WorkerProcess? Process
    {
        get
        {
            lock (_gate)
            {
                return _process;
            }
        }
    }

    /// <summary>Starts the pod's life in the background.</summary>
    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops the worker (SIGTERM, then SIGKILL after the grace period) and ends the runtime.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (mounts, environment) = await PrepareAsync(cancellationToken).ConfigureAwait(false);
            var backoff = _context.Options.RestartBackoff;
            while (!cancellationToken.IsCancellationRequested)
            {
                var command = WorkerCommand.For(_container, Port, mounts, environment);
                var exit = await RunOnceAsync(command, cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                var policy = _pod.Spec?.RestartPolicy ?? "Always";
                var restart = policy == "Always" || (policy == "OnFailure" && exit.ExitCode != 0);
                if (!restart)
                {
                    Update(() => _phase = exit.ExitCode == 0 ? "Succeeded" : "Failed");
                    await FlushStatusAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (exit.FinishedAt - exit.StartedAt > BackoffReset)
                {
                    backoff = _context.Options.RestartBackoff;
                }

                var delay = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _context.Options.MaxRestartBackoff.Ticks));
                PodRuntimeLog.BackingOff(_context.Logger, _podName, delay);
                Update(() => _state = ContainerState.Waiting(
                    "CrashLoopBackOff",
                    $"back-off {Seconds(delay)} restarting failed container={_container.Name} pod={_pod.Metadata?.Name}_{_pod.Metadata?.NamespaceProperty}({Uid})"));
                await FlushStatusAsync(cancellationToken).ConfigureAwait(false);
                await WaitAsync(delay, cancellationToken).ConfigureAwait(false);
                Update(() => _restartCount++);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: the process is stopped in RunOnceAsync.
        }
        catch (Exception e)
        {
            PodRuntimeLog.RuntimeFailed(_context.Logger, e, _podName);
            throw;
        }
    }

    private async Task<(IReadOnlyDictionary<string, string> Mounts, IReadOnlyDictionary<string, string> Environment)> PrepareAsync(
        CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var mounts = await _context.Volumes.PrepareAsync(_pod, _container, _paths, cancellationToken).ConfigureAwait(false);
                var environment = await PodEnvironment.ResolveAsync(_context.Api, _pod, _container, cancellationToken).ConfigureAwait(false);
                return (mounts, environment);
            }
            catch (VolumeNotReadyException e)
            {
                PodRuntimeLog.WaitingForVolumes(_context.Logger, _podName, e.Message);
                Update(() => _state = ContainerState.Waiting("ContainerCreating", e.Message));
            }
            catch (KubernetesApiException e)
            {
                PodRuntimeLog.WaitingForVolumes(_context.Logger, _podName, e.Message);
            }

            await FlushStatusAsync(cancellationToken).ConfigureAwait(false);
            await WaitAsync(VolumeRetry, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ContainerState> RunOnceAsync(WorkerCommand command, CancellationToken cancellationToken)
    {
        WorkerProcess process;
        var now = _context.Time.GetUtcNow();
        try
        {
            process = WorkerProcess.Start(_context.WorkerPath, command, _paths.VolumesDirectory, _paths.LogFile, now);
        }
        catch (Exception e) when (e is Win32Exception or IOException or UnauthorizedAccessException)
        {
            PodRuntimeLog.StartFailed(_context.Logger, e, _podName);
            var failed = ContainerState.Terminated(128, e.Message, null, now) with { TerminatedReason = "StartError" };
            Update(() =>
            {
                _state = failed;
                _lastState = failed;
                _phase = "Running";
            });
            await FlushStatusAsync(cancellationToken).ConfigureAwait(false);
            return failed;
        }

        PodRuntimeLog.Started(_context.Logger, _podName, process.Id, Port);
        await using (process.ConfigureAwait(false))
        {
            Update(() =>
            {
                _process = process;
                _state = ContainerState.Running(process.StartedAt);
                _phase = "Running";
            });
            try
            {
                var exitCode = await ProbeUntilExitAsync(process, cancellationToken).ConfigureAwait(false);
                PodRuntimeLog.Exited(_context.Logger, _podName, exitCode);
                var ended = ContainerState.Terminated(exitCode, process.Tail(), process.StartedAt, _context.Time.GetUtcNow());
                Update(() =>
                {
                    _process = null;
                    _state = ended;
                    _lastState = ended;
                    SetReady(false);
                });
                await FlushStatusAsync(cancellationToken).ConfigureAwait(false);
                return ended;
            }
            finally
            {
                if (!process.Exited.IsCompleted)
                {
                    await process.StopAsync(GracePeriod()).ConfigureAwait(false);
                }

                Update(() => _process = null);
            }
        }
    }

    private async Task<int> ProbeUntilExitAsync(WorkerProcess process, CancellationToken cancellationToken)
    {
        var probe = _container.ReadinessProbe;
        var period = ProbePeriod(probe);
        var failureThreshold = Math.Max(1, probe?.FailureThreshold ?? 3);
        var failures = 0;
        if (probe?.HttpGet is null)
        {
            // No readiness probe (or not an HTTP one): ready as soon as it runs, as the kubelet treats it.
            Update(() => SetReady(true));
        }

        while (true)
        {
            await FlushStatusAsync(cancellationToken).ConfigureAwait(false);
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(period, _context.Time, tick.Token);
            var first = await Task.WhenAny(process.Exited, delay).ConfigureAwait(false);
            if (first == process.Exited)
            {
                await tick.CancelAsync().ConfigureAwait(false);
                return await process.Exited.ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (probe?.HttpGet is not { } httpGet)
            {
                continue;
            }

            var ok = await ProbeAsync(httpGet, probe.TimeoutSeconds, cancellationToken).ConfigureAwait(false);
            failures = ok ? 0 : failures + 1;
            if (ok)
            {
                Update(() => SetReady(true));
            }
            else if (failures >= failureThreshold || !_ready)
            {
                Update(() => SetReady(false));
            }
        }
    }

    private async Task<bool> ProbeAsync(V1HTTPGetAction httpGet, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        var port = ResolvePort(httpGet.Port?.Value);
        if (port is null)
        {
            return false;
        }

        var path = string.IsNullOrEmpty(httpGet.Path) ? "/" : httpGet.Path;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, timeoutSeconds ?? 1)));
        try
        {
            using var response = await _context.Http.GetAsync(
                new Uri($"http://127.0.0.1:{port.Value.ToString(CultureInfo.InvariantCulture)}{path}"), timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 400;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private int? ResolvePort(string? value)
    {
        if (value is null)
        {
            return Port;
        }

        var ports = _pod.Spec?.Containers?.SelectMany(c => c.Ports ?? []).ToList() ?? [];
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            // A numeric probe port names the declared port, which local mode rewrote to the real one.
            return ports.Any(p => p.ContainerPort == number) ? number : Port ?? number;
        }

        return ports.FirstOrDefault(p => p.Name == value)?.ContainerPort;
    }

    private TimeSpan ProbePeriod(V1Probe? probe)
    {
        var own = TimeSpan.FromSeconds(Math.Max(1, probe?.PeriodSeconds ?? 10));
        return own < _context.Options.ProbePeriod ? own : _context.Options.ProbePeriod;
    }

    private TimeSpan GracePeriod()
    {
        var own = TimeSpan.FromSeconds(Math.Max(0, _pod.Spec?.TerminationGracePeriodSeconds ?? 30));
        return own < _context.Options.MaxTerminationGracePeriod ? own : _context.Options.MaxTerminationGracePeriod;
    }

    private void SetReady(bool ready)
    {
        if (_ready != ready)
        {
            _ready = ready;
            _readySince = _context.Time.GetUtcNow();
        }
    }

    private void Update(Action change)
    {
        lock (_gate)
        {
            change();
            _statusDirty = true;
        }
    }

    private async Task FlushStatusAsync(CancellationToken cancellationToken)
    {
        V1Pod patch;
        lock (_gate)
        {
            if (!_statusDirty)
            {
                return;
            }

            _statusDirty = false;
            patch = new V1Pod
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Metadata = new V1ObjectMeta { Name = _pod.Metadata?.Name, NamespaceProperty = _pod.Metadata?.NamespaceProperty },
                Status = BuildStatus(),
            };
        }

        try
        {
            await _context.Api.ApplyStatusAsync(patch, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            // The pod is gone; the kubelet stops this runtime when its informer sees the deletion.
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException)
        {
            PodRuntimeLog.StatusWriteFailed(_context.Logger, e, _podName);
            lock (_gate)
            {
                _statusDirty = true;
            }
        }
    }

    private V1PodStatus BuildStatus()
    {
        var started = _startTime.UtcDateTime;
        var readyTime = _readySince.UtcDateTime;
        var readyStatus = _ready ? "True" : "False";
        return new V1PodStatus
        {
            Phase = _phase,
            HostIP = "127.0.0.1",
            HostIPs = [new V1HostIP { Ip = "127.0.0.1" }],
            PodIP = "127.0.0.1",
            PodIPs = [new V1PodIP { Ip = "127.0.0.1" }],
            StartTime = started,
            Conditions =
            [
                new V1PodCondition { Type = "PodReadyToStartContainers", Status = "True", LastTransitionTime = started },
                new V1PodCondition { Type = "Initialized", Status = "True", LastTransitionTime = started },
                new V1PodCondition
                {
                    Type = "Ready", Status = readyStatus, LastTransitionTime = readyTime,
                    Reason = _ready ? null : "ContainersNotReady",
                    Message = _ready ? null : $"containers with unready status: [{_container.Name}]",
                },
                new V1PodCondition
                {
                    Type = "ContainersReady", Status = readyStatus, LastTransitionTime = readyTime,
                    Reason = _ready ? null : "ContainersNotReady",
                    Message = _ready ? null : $"containers with unready status: [{_container.Name}]",
                },
                new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = started },
            ],
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = _container.Name,
                    Image = _container.Image ?? WorkerExecutable.FileName,
                    ImageID = "file://" + _context.WorkerPath,
                    ContainerID = _process is { } p ? $"local://{p.Id.ToString(CultureInfo.InvariantCulture)}" : null,
                    Ready = _ready,
                    Started = _state.IsRunning,
                    RestartCount = _restartCount,
                    State = _state.ToV1(),
                    LastState = _lastState is { } last && !ReferenceEquals(last, _state) ? last.ToV1() : new V1ContainerState(),
                },
            ],
        };
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        await Task.Delay(delay, _context.Time, cancellationToken).ConfigureAwait(false);

    private static string Seconds(TimeSpan delay) =>
        delay.TotalSeconds >= 1
            ? $"{Math.Round(delay.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s"
            : $"{Math.Round(delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}ms";
}
