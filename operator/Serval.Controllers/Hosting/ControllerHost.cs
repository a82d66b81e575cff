using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Leadership;
using Serval.Controllers.Memory;
using Serval.Controllers.Monitoring;
using Serval.Controllers.Reconciliation;

namespace Serval.Controllers.Hosting;

/// <summary>
/// The manager: one shared informer per kind, the registered controllers, optional leader
/// election and the health endpoints. <see cref="RunAsync"/> starts the informers, waits for
/// their caches to sync, then runs the controllers' workers while this process leads (always,
/// without election); cancelling it stops taking work, lets in-flight reconciles finish and
/// releases the lease.
/// </summary>
public sealed class ControllerHost
{
    private readonly Lock _gate = new();
    private readonly IKubernetesApi _api;
    private readonly ControllerHostOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Dictionary<Type, IInformer> _informers = [];
    private readonly List<IController> _controllers = [];
    private readonly Random _seeds;
    private readonly IManagedHeap _heap;
    private Term? _term;
    private Task _lastTerm = Task.CompletedTask;
    private Task _lostTerm = Task.CompletedTask;
    private LeaseElection? _election;
    private HealthServer? _health;
    private int _state;
    private volatile bool _synced;
    private volatile bool _electionRunning;
    private volatile bool _stopping;

    public ControllerHost(
        IKubernetesApi api,
        ControllerHostOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? time = null,
        CollectorRegistry? registry = null,
        int? randomSeed = null,
        IManagedHeap? heap = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        _options = options ?? new ControllerHostOptions();
        _options.Validate();
        _api = api;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("Serval.Controllers.ControllerHost");
        Time = time ?? TimeProvider.System;
        Metrics = new ControllerMetrics(registry ?? Prometheus.Metrics.DefaultRegistry);
        _seeds = randomSeed is { } seed ? new Random(seed) : new Random();
        Metrics.Registry.AddBeforeCollectCallback(UpdateQueueDepths);
        _heap = heap ?? new RuntimeManagedHeap();
    }

    public IKubernetesApi Api => _api;

    public TimeProvider Time { get; }

    public ControllerMetrics Metrics { get; }

    /// <summary>True once every informer's first list has loaded.</summary>
    public bool HasSynced => _synced;

    /// <summary>True while this host's controllers run (it leads, or election is off).</summary>
    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return _term is not null;
            }
        }
    }

    /// <summary>The lease holder this host last observed (null without election).</summary>
    public string? Leader => _election?.Leader;

    /// <summary>Null when ready (caches synced and, with election, campaigning or leading); otherwise why not.</summary>
    public string? ReadinessProblem
    {
        get
        {
            if (!_synced)
            {
                string[] waiting;
                lock (_gate)
                {
                    waiting = [.. _informers.Values.Where(i => !i.HasSynced).Select(i => i.Kind.Resource)];
                }

                return $"caches not synced: {string.Join(", ", waiting)}";
            }

            if (_options.LeaderElection.Enabled && !_electionRunning)
            {
                return "leader election is not running";
            }

            return _stopping ? "shutting down" : null;
        }
    }

    /// <summary>Where /healthz, /readyz and /metrics are served while running; null otherwise.</summary>
    public Uri? HealthAddress => _health?.Address;

    /// <summary>Starts describing a controller whose primary kind is <typeparamref name="T"/>.</summary>
    public ControllerBuilder<T> For<T>()
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ThrowIfStarted($"For<{typeof(T).Name}>");
        return new ControllerBuilder<T>(this);
    }

    /// <summary>
    /// The shared informer of <typeparamref name="T"/>, created on first use (before
    /// <see cref="RunAsync"/>). <paramref name="configure"/> may adjust it only at that first use.
    /// </summary>
    public Informer<T> GetInformer<T>(Action<InformerOptions>? configure = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_gate)
        {
            if (_informers.TryGetValue(typeof(T), out var existing))
            {
                if (configure is not null)
                {
                    throw new InvalidOperationException(
                        $"The informer for {existing.Kind} already exists; configure it where it is first requested.");
                }

                return (Informer<T>)existing;
            }

            ThrowIfStarted($"GetInformer<{typeof(T).Name}>");
            var options = new InformerOptions
            {
                Namespace = _options.Namespace,
                WatchTimeout = _options.WatchTimeout,
                SilenceTimeout = _options.WatchSilenceTimeout,
            };
            configure?.Invoke(options);
            var informer = new Informer<T>(
                _api,
                options,
                Time,
                _loggerFactory.CreateLogger("Serval.Controllers.Informer"),
                Metrics,
                new Random(_seeds.Next()));
            _informers[typeof(T)] = informer;
            return informer;
        }
    }

    /// <summary>The cache reconcilers read <typeparamref name="T"/> from.</summary>
    public ICacheReader<T> GetCache<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> => GetInformer<T>();

    /// <summary>Runs until cancelled, then shuts down gracefully. Runs once per host.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("A controller host runs only once.");
        }

        IInformer[] informers;
        lock (_gate)
        {
            informers = [.. _informers.Values];
        }

        using var stopInformers = new CancellationTokenSource();
        var informerRuns = informers.Select(i => RunInformerAsync(i, stopInformers.Token)).ToArray();
        var trimming = Task.CompletedTask;
        try
        {
            if (_options.HealthPort is { } port)
            {
                _health = await HealthServer.StartAsync(
                    _options.HealthBindAddress, port, () => null, () => ReadinessProblem, Metrics.Registry, cancellationToken).ConfigureAwait(false);
                ControllerHostLog.Serving(_logger, _health.Address);
            }

            await Task.WhenAll(informers.Select(i => i.WaitForSyncAsync(cancellationToken))).ConfigureAwait(false);
            _synced = true;
            ControllerHostLog.Synced(_logger, informers.Length);
            if (_options.MemoryTrim.Enabled)
            {
                var trimmer = new MemoryTrimmer(_options.MemoryTrim, _heap, Time, _loggerFactory.CreateLogger("Serval.Controllers.MemoryTrimmer"), Metrics);
                trimming = trimmer.RunAsync(ControllersIdle, stopInformers.Token);
            }

            if (_options.LeaderElection.Enabled)
            {
                await RunElectedAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                StartTerm();
                await WaitForCancellationAsync(cancellationToken).ConfigureAwait(false);
                _stopping = true;
                ControllerHostLog.ShuttingDown(_logger);
                await EndTermAsync(abort: false).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled before the caches synced: nothing ran yet.
        }
        finally
        {
            _stopping = true;
            await EndTermAsync(abort: true).ConfigureAwait(false);
            await stopInformers.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(informerRuns).ConfigureAwait(false);
            await trimming.ConfigureAwait(false);
            if (_health is not null)
            {
                await _health.DisposeAsync().ConfigureAwait(false);
                _health = null;
            }

            Volatile.Write(ref _state, 2);
        }
    }

    internal Controller<T> CreateController<T>(string name, IReconciler<T> reconciler, ICacheReader<T> cache, ControllerOptions options)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_gate)
        {
            ThrowIfStarted($"Complete of controller '{name}'");
            if (_controllers.Any(c => c.Name == name))
            {
                throw new InvalidOperationException($"A controller named '{name}' is already registered; name it with Named(...).");
            }

            var controller = new Controller<T>(
                name, reconciler, cache, options, Time, _loggerFactory.CreateLogger("Serval.Controllers.Controller"), Metrics);
            _controllers.Add(controller);
            return controller;
        }
    }

    private async Task RunElectedAsync(CancellationToken cancellationToken)
    {
        _election = new LeaseElection(_api, _options.LeaderElection, _loggerFactory.CreateLogger("Serval.Controllers.LeaderElection"));
        using var stopElection = new CancellationTokenSource();
        var campaign = _election.RunAsync(
            StartTerm,
            () =>
            {
                // On shutdown the term is ended gracefully before the election stops.
                if (!_stopping)
                {
                    _lostTerm = EndTermAsync(abort: true);
                }
            },
            stopElection.Token);
        _electionRunning = true;
        try
        {
            await Task.WhenAny(campaign, WaitForCancellationAsync(cancellationToken)).ConfigureAwait(false);
            _stopping = true;
            ControllerHostLog.ShuttingDown(_logger);

            // Finish in-flight work while still holding the lease, then let it go.
            await EndTermAsync(abort: false).ConfigureAwait(false);
            await _lostTerm.ConfigureAwait(false);
            await stopElection.CancelAsync().ConfigureAwait(false);
            await campaign.ConfigureAwait(false);
        }
        finally
        {
            _electionRunning = false;
        }
    }

    private void StartTerm()
    {
        lock (_gate)
        {
            if (_term is not null || _stopping)
            {
                return;
            }

            var term = new Term();
            term.Run = RunTermAsync(term, _lastTerm);
            _term = term;
            _lastTerm = term.Run;
        }
    }

    private async Task RunTermAsync(Term term, Task previous)
    {
        // A new term waits until the last one has wound down, so no controller runs twice.
        await previous.ConfigureAwait(false);
        IController[] controllers;
        lock (_gate)
        {
            controllers = [.. _controllers];
        }

        await Task.WhenAll(controllers.Select(c => RunControllerAsync(c, term))).ConfigureAwait(false);
    }

    private async Task RunControllerAsync(IController controller, Term term)
    {
        try
        {
            await controller.RunAsync(_options.ShutdownTimeout, term.Stop.Token, term.Abort.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ControllerHostLog.ControllerFailed(_logger, e, controller.Name);
        }
    }

    private async Task EndTermAsync(bool abort)
    {
        Term? term;
        lock (_gate)
        {
            term = _term;
            _term = null;
        }

        if (term is null)
        {
            await _lastTerm.ConfigureAwait(false);
            return;
        }

        if (abort)
        {
            await term.Abort.CancelAsync().ConfigureAwait(false);
        }

        await term.Stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await term.Run.ConfigureAwait(false);
        }
        finally
        {
            term.Dispose();
        }
    }

    private async Task RunInformerAsync(IInformer informer, CancellationToken cancellationToken)
    {
        try
        {
            await informer.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ControllerHostLog.InformerFailed(_logger, e, informer.Kind.Resource);
        }
    }

    private bool ControllersIdle()
    {
        lock (_gate)
        {
            return _controllers.TrueForAll(c => c.IsIdle);
        }
    }

    private void UpdateQueueDepths()
    {
        IController[] controllers;
        lock (_gate)
        {
            controllers = [.. _controllers];
        }

        foreach (var controller in controllers)
        {
            Metrics.WorkQueueDepth.WithLabels(controller.Name).Set(controller.QueueLength);
        }
    }

    private void ThrowIfStarted(string operation)
    {
        if (Volatile.Read(ref _state) != 0)
        {
            throw new InvalidOperationException($"{operation} must happen before the controller host runs.");
        }
    }

    private static async Task WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelled.TrySetResult()))
        {
            await cancelled.Task.ConfigureAwait(false);
        }
    }

    private sealed class Term : IDisposable
    {
        public CancellationTokenSource Stop { get; } = new();

        public CancellationTokenSource Abort { get; } = new();

        public Task Run { get; set; } = Task.CompletedTask;

        public void Dispose()
        {
            Stop.Dispose();
            Abort.Dispose();
        }
    }
}
