using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Serval.Controllers.Cache;
using Serval.Controllers.Hosting;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Queue;
using Serval.Controllers.Reconciliation;
using Serval.Controllers.Tests.Fakes;

namespace Serval.Controllers.Tests.Hosting;

public sealed class ControllerHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private FakeKubernetesApi _api = null!;
    private FakeTimeProvider _time = null!;
    private ControllerHost _host = null!;
    private RecordingRateLimiter _limiter = null!;
    private CancellationTokenSource _stop = null!;
    private Task? _run;

    [SetUp]
    public void SetUp()
    {
        _api = new FakeKubernetesApi();
        _time = new FakeTimeProvider();
        _limiter = new RecordingRateLimiter();
        _stop = new CancellationTokenSource();
        _host = NewHost();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.WaitAsync(Timeout);
        }

        _stop.Dispose();
    }

    private ControllerHost NewHost(int? healthPort = null, TimeSpan? shutdownTimeout = null, ILoggerFactory? loggers = null) =>
        new(
            _api,
            new ControllerHostOptions
            {
                HealthPort = healthPort,
                HealthBindAddress = "127.0.0.1",
                ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(30),
            },
            loggerFactory: loggers,
            time: _time,
            registry: Prometheus.Metrics.NewCustomRegistry(),
            randomSeed: 1);

    private static V1Secret Secret(string name, string ns = "ml") =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = $"uid-{name}", ResourceVersion = "1" } };

    private static V1ConfigMap ConfigMap(string name, V1OwnerReference? owner = null, string ns = "ml") =>
        new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                ResourceVersion = "2",
                OwnerReferences = owner is null ? null : [owner],
            },
        };

    private static V1OwnerReference ControlledBy(string kind, string name, string apiVersion = "v1", bool controller = true) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = $"uid-{name}", Controller = controller };

    private Controller<V1Secret> Register(ScriptedReconciler reconciler, Action<ControllerBuilder<V1Secret>>? configure = null)
    {
        var builder = _host.For<V1Secret>().WithOptions(o => o.RateLimiter = _ => _limiter);
        configure?.Invoke(builder);
        return builder.Complete(reconciler);
    }

    private void Start() => _run = _host.RunAsync(_stop.Token);

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }

            await Task.Delay(5);
        }
    }

    [Test]
    public async Task RunAsync_AfterSync_ReconcilesEveryCachedPrimary()
    {
        _api.EnqueueList("1", Secret("a"), Secret("b"));
        var reconciler = new ScriptedReconciler();
        Register(reconciler);

        Start();

        await Eventually(() => reconciler.Keys.Count == 2, "two reconciles");
        Assert.That(reconciler.Keys.Select(k => k.ToString()), Is.EquivalentTo(new[] { "ml/a", "ml/b" }));
        Assert.That(_host.HasSynced, Is.True);
    }

    [Test]
    public async Task MemoryTrim_WaitsUntilTheControllersAreIdle_ThenCompactsOnce()
    {
        var heap = new CountingHeap();
        _host = new ControllerHost(
            _api,
            new ControllerHostOptions { HealthPort = null },
            time: _time,
            registry: Prometheus.Metrics.NewCustomRegistry(),
            randomSeed: 1,
            heap: heap);
        _api.EnqueueList("1", Secret("a"));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconciler = new ScriptedReconciler(async (_, _) =>
        {
            await release.Task;
            return ReconcileResult.Success;
        });
        Register(reconciler, b => b.Named("secrets"));
        heap.Allocate(1L << 30);

        Start();
        await Eventually(() => reconciler.Keys.Count == 1, "the reconcile to start");
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        await Task.Delay(50);
        var whileBusy = heap.Compactions;
        release.SetResult();
        await Eventually(() => _host.Metrics.ReconcileTotal.WithLabels("secrets", "success").Value == 1, "the reconcile to finish");
        for (var i = 0; i < 5 && heap.Compactions == 0; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(20);
        }

        Assert.Multiple(() =>
        {
            Assert.That(whileBusy, Is.Zero, "not while a reconcile runs");
            Assert.That(heap.Compactions, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Success_ForgetsTheKeysBackoff()
    {
        _api.EnqueueList("1", Secret("a"));
        var reconciler = new ScriptedReconciler();
        Register(reconciler);

        Start();

        await Eventually(() => _limiter.Calls.Contains("forget ml/a"), "the key is forgotten");
        Assert.That(_limiter.Calls, Does.Not.Contain("when ml/a"));
    }

    [Test]
    public async Task ErrorResult_RequeuesWithTheRateLimiter()
    {
        _api.EnqueueList("1", Secret("a"));
        var reconciler = new ScriptedReconciler(_ => ReconcileResult.Error("model not found"), _ => ReconcileResult.Success);
        Register(reconciler);

        Start();
        await Eventually(() => _limiter.Calls.Contains("when ml/a"), "a rate-limited requeue");
        _time.Advance(RecordingRateLimiter.Delay);

        await Eventually(() => reconciler.Keys.Count == 2, "the retry");
        Assert.That(_limiter.Calls, Is.EqualTo(new[] { "when ml/a", "forget ml/a" }));
    }

    [Test]
    public async Task ThrownException_RequeuesWithTheRateLimiter()
    {
        _api.EnqueueList("1", Secret("a"));
        var reconciler = new ScriptedReconciler(ReconcileResult (ObjectKey _) => throw new InvalidOperationException("boom"), _ => ReconcileResult.Success);
        Register(reconciler);

        Start();
        await Eventually(() => _limiter.Calls.Contains("when ml/a"), "a rate-limited requeue");
        _time.Advance(RecordingRateLimiter.Delay);

        await Eventually(() => reconciler.Keys.Count == 2, "the retry");
    }

    [Test]
    public async Task WriteConflict_RequeuesWithTheRateLimiter_AndIsLoggedAsRoutine()
    {
        var log = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Trace));
        _host = NewHost(loggers: loggers);
        _api.EnqueueList("1", Secret("a"));
        var conflict = new KubernetesApiException("update status secrets ml/a failed: 409 Conflict", HttpStatusCode.Conflict, null, null);
        var reconciler = new ScriptedReconciler(ReconcileResult (ObjectKey _) => throw conflict, _ => ReconcileResult.Success);
        Register(reconciler);

        Start();
        await Eventually(() => _limiter.Calls.Contains("when ml/a"), "a rate-limited requeue");
        _time.Advance(RecordingRateLimiter.Delay);
        await Eventually(() => reconciler.Keys.Count == 2, "the retry");

        var about = log.Entries.Where(e => e.Message.Contains("ml/a", StringComparison.Ordinal) && e.Message.Contains("409", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(about.Select(e => e.Level), Is.EqualTo(new[] { LogLevel.Information }), "one line, not an error");
            Assert.That(about.Single().HasException, Is.False, "no stack trace for a routine conflict");
        });
    }

    [Test]
    public async Task RequeueAfter_ForgetsAndReconcilesAgainAfterTheDelay()
    {
        _api.EnqueueList("1", Secret("a"));
        var reconciler = new ScriptedReconciler(_ => ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(30)), _ => ReconcileResult.Success) { Clock = _time };
        Register(reconciler);
        var start = _time.GetUtcNow();

        Start();
        await Eventually(() => _limiter.Calls.Contains("forget ml/a"), "the key is forgotten");
        _time.Advance(TimeSpan.FromSeconds(30));

        await Eventually(() => reconciler.Keys.Count == 2, "the second reconcile");
        Assert.That(reconciler.Times[1] - start, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(_limiter.Calls, Does.Not.Contain("when ml/a"));
    }

    [Test]
    public async Task Owns_ChildChange_QueuesTheControllingOwner()
    {
        _api.EnqueueList<V1Secret>("1");
        var reconciler = new ScriptedReconciler();
        Register(reconciler, b => b.Owns<V1ConfigMap>());
        Start();
        var children = await _api.NextWatchAsync<V1ConfigMap>();

        children.Send(new Serval.Controllers.Kubernetes.WatchEvent<V1ConfigMap>(WatchEventType.Added, ConfigMap("a-config", ControlledBy("Secret", "a"))));

        await Eventually(() => reconciler.Keys.Count == 1, "the owner's reconcile");
        Assert.That(reconciler.Keys.Single(), Is.EqualTo(new ObjectKey("ml", "a")));
    }

    [Test]
    public async Task Owns_ChildOfAnotherKindOrNotControlled_QueuesNothing()
    {
        _api.EnqueueList<V1Secret>("1");
        var reconciler = new ScriptedReconciler();
        Register(reconciler, b => b.Owns<V1ConfigMap>());
        Start();
        var children = await _api.NextWatchAsync<V1ConfigMap>();

        children.Send(new Serval.Controllers.Kubernetes.WatchEvent<V1ConfigMap>(WatchEventType.Added, ConfigMap("x", ControlledBy("Deployment", "a", "apps/v1"))));
        children.Send(new Serval.Controllers.Kubernetes.WatchEvent<V1ConfigMap>(WatchEventType.Added, ConfigMap("y", ControlledBy("Secret", "b", controller: false))));
        children.Send(new Serval.Controllers.Kubernetes.WatchEvent<V1ConfigMap>(WatchEventType.Added, ConfigMap("z", ControlledBy("Secret", "c"))));

        await Eventually(() => reconciler.Keys.Count == 1, "the reconcile of the one real owner");
        Assert.That(reconciler.Keys.Single(), Is.EqualTo(new ObjectKey("ml", "c")));
    }

    [Test]
    public async Task Watches_MapFunction_QueuesWhatItReturns()
    {
        _api.EnqueueList<V1Secret>("1");
        var reconciler = new ScriptedReconciler();
        Register(reconciler, b => b.Watches<V1ConfigMap>(c => [new ObjectKey(c.Metadata.NamespaceProperty, $"from-{c.Metadata.Name}")]));
        Start();
        var watched = await _api.NextWatchAsync<V1ConfigMap>();

        watched.Send(new Serval.Controllers.Kubernetes.WatchEvent<V1ConfigMap>(WatchEventType.Added, ConfigMap("cfg")));

        await Eventually(() => reconciler.Keys.Count == 1, "the mapped reconcile");
        Assert.That(reconciler.Keys.Single(), Is.EqualTo(new ObjectKey("ml", "from-cfg")));
    }

    [Test]
    public async Task MaxConcurrentReconciles_DifferentKeys_RunInParallel()
    {
        _api.EnqueueList("1", Secret("a"), Secret("b"), Secret("c"));
        var inFlight = 0;
        var peak = 0;
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconciler = new ScriptedReconciler(async (_, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            if (now == 3)
            {
                allIn.TrySetResult();
            }

            await allIn.Task;
            Interlocked.Decrement(ref inFlight);
            return ReconcileResult.Success;
        });
        Register(reconciler, b => b.WithOptions(o => o.MaxConcurrentReconciles = 3));

        Start();

        await allIn.Task.WaitAsync(Timeout);
        Assert.That(peak, Is.EqualTo(3));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    [Test]
    public async Task Metrics_CountReconcilesByResult()
    {
        _api.EnqueueList("1", Secret("a"), Secret("b"));
        var reconciler = new ScriptedReconciler(key => key.Name == "a" ? ReconcileResult.Success : ReconcileResult.Error("bad"));
        Register(reconciler, b => b.Named("secrets"));

        Start();

        await Eventually(() => reconciler.Keys.Count == 2, "two reconciles");
        await Eventually(() => _host.Metrics.ReconcileTotal.WithLabels("secrets", "error").Value == 1, "the error is counted");
        Assert.That(_host.Metrics.ReconcileTotal.WithLabels("secrets", "success").Value, Is.EqualTo(1));
        Assert.That(_host.Metrics.ReconcileDuration.WithLabels("secrets").Count, Is.EqualTo(2));
    }

    [Test]
    public async Task Shutdown_InFlightReconcile_FinishesUncancelledBeforeRunAsyncReturns()
    {
        _api.EnqueueList("1", Secret("a"));
        var release = new TaskCompletionSource<ReconcileResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconciler = new ScriptedReconciler(_ => release.Task);
        Register(reconciler);
        Start();
        await Eventually(() => reconciler.Keys.Count == 1, "the reconcile starts");

        await _stop.CancelAsync();
        await Eventually(() => _host.ReadinessProblem == "shutting down", "the host reports shutdown");
        var stillRunning = !_run!.IsCompleted;
        release.SetResult(ReconcileResult.Success);
        await _run.WaitAsync(Timeout);

        Assert.That(stillRunning, Is.True, "RunAsync waits for the in-flight reconcile");
        Assert.That(reconciler.Tokens.Single().IsCancellationRequested, Is.False);
    }

    [Test]
    public async Task Shutdown_ReconcilePastTheTimeout_IsCancelled()
    {
        _host = NewHost(shutdownTimeout: TimeSpan.FromSeconds(5));
        _api.EnqueueList("1", Secret("a"));
        var reconciler = new ScriptedReconciler(async (_, token) =>
        {
            await Task.Delay(System.Threading.Timeout.Infinite, token);
            return ReconcileResult.Success;
        });
        Register(reconciler);
        Start();
        await Eventually(() => reconciler.Keys.Count == 1, "the reconcile starts");

        await _stop.CancelAsync();
        await Eventually(() => _host.ReadinessProblem == "shutting down", "the host reports shutdown");
        for (var i = 0; i < 200 && !_run!.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        await _run!.WaitAsync(Timeout);
        Assert.That(reconciler.Tokens.Single().IsCancellationRequested, Is.True);
    }

    [Test]
    public async Task HealthEndpoints_ReportLivenessReadinessAndMetrics()
    {
        _host = NewHost(healthPort: 0);
        _api.EnqueueList("1", Secret("a"));
        var reconciler = new ScriptedReconciler();
        Register(reconciler, b => b.Named("secrets"));
        Start();
        await Eventually(() => reconciler.Keys.Count == 1 && _host.HealthAddress is not null, "the host runs");
        using var http = new HttpClient { BaseAddress = _host.HealthAddress, Timeout = Timeout };

        var healthz = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var readyz = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.That((healthz.StatusCode, readyz.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(metrics, Does.Contain("serval_reconcile_total{controller=\"secrets\",result=\"success\"} 1"));
        Assert.That(metrics, Does.Contain("serval_workqueue_depth{controller=\"secrets\"}"));
    }

    [Test]
    public async Task Readyz_BeforeSync_Is503AndNamesTheKind()
    {
        _host = NewHost(healthPort: 0);
        _api.EnqueueListError<V1Secret>(new HttpRequestException("connection refused"));
        Register(new ScriptedReconciler());
        Start();
        await Eventually(() => _host.HealthAddress is not null, "the health server");
        using var http = new HttpClient { BaseAddress = _host.HealthAddress, Timeout = Timeout };

        var readyz = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.That(readyz.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await readyz.Content.ReadAsStringAsync(), Does.Contain("secrets"));
    }

    [Test]
    public void Complete_SameNameTwice_Throws()
    {
        Register(new ScriptedReconciler());

        var error = Assert.Throws<InvalidOperationException>(() => _host.For<V1Secret>().Complete(new ScriptedReconciler()));

        Assert.That(error!.Message, Does.Contain("'secret'"));
    }

    [Test]
    public void WithOptions_ZeroWorkers_NamesTheOption()
    {
        var error = Assert.Throws<ArgumentException>(
            () => _host.For<V1Secret>().WithOptions(o => o.MaxConcurrentReconciles = 0).Complete(new ScriptedReconciler()));

        Assert.That(error!.Message, Does.Contain("MaxConcurrentReconciles").And.Contain("0"));
    }

    [Test]
    public void Constructor_BadLeaderElectionTiming_NamesTheOptions()
    {
        var options = new ControllerHostOptions
        {
            LeaderElection = { Enabled = true, LeaseDuration = TimeSpan.FromSeconds(5), RenewDeadline = TimeSpan.FromSeconds(6) },
        };

        var error = Assert.Throws<ArgumentException>(() => _ = new ControllerHost(_api, options));

        Assert.That(error!.Message, Does.Contain("RenewDeadline").And.Contain("LeaseDuration"));
    }

    /// <summary>Keeps every log entry: level, text and whether an exception came with it.</summary>
    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Message, bool HasException)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Recorder(Entries);

        public void Dispose()
        {
        }

        private sealed class Recorder(ConcurrentQueue<(LogLevel, string, bool)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((logLevel, formatter(state, exception), exception is not null));
        }
    }

    private sealed class ScriptedReconciler : IReconciler<V1Secret>
    {
        private readonly Func<ObjectKey, CancellationToken, Task<ReconcileResult>>[] _script;
        private int _calls;

        public ScriptedReconciler(params Func<ObjectKey, ReconcileResult>[] script)
        {
            _script = [.. script.Select(s => (Func<ObjectKey, CancellationToken, Task<ReconcileResult>>)((key, _) => Task.FromResult(s(key))))];
        }

        public ScriptedReconciler(Func<ObjectKey, Task<ReconcileResult>> step)
        {
            _script = [(key, _) => step(key)];
        }

        public ScriptedReconciler(Func<ObjectKey, CancellationToken, Task<ReconcileResult>> step)
        {
            _script = [step];
        }

        public ConcurrentQueue<ObjectKey> Keys { get; } = new();

        public List<DateTimeOffset> Times { get; } = [];

        public ConcurrentQueue<CancellationToken> Tokens { get; } = new();

        public TimeProvider Clock { get; init; } = TimeProvider.System;

        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            lock (Times)
            {
                Times.Add(Clock.GetUtcNow());
            }

            Keys.Enqueue(key);
            Tokens.Enqueue(cancellationToken);
            var call = Interlocked.Increment(ref _calls) - 1;
            if (_script.Length == 0)
            {
                return Task.FromResult(ReconcileResult.Success);
            }

            return _script[Math.Min(call, _script.Length - 1)](key, cancellationToken);
        }
    }

    private sealed class RecordingRateLimiter : IWorkQueueRateLimiter<ObjectKey>
    {
        public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

        private readonly ConcurrentQueue<string> _calls = new();

        public string[] Calls => [.. _calls];

        public TimeSpan When(ObjectKey item)
        {
            _calls.Enqueue($"when {item}");
            return Delay;
        }

        public void Forget(ObjectKey item) => _calls.Enqueue($"forget {item}");

        public int NumRequeues(ObjectKey item) => 0;
    }
}
