using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Prometheus;
using Serval.Worker.Batching;
using Serval.Worker.Cli;
using Serval.Worker.Http;
using Serval.Worker.Inference;
using Serval.Worker.Models;
using Serval.Worker.Observability;

namespace Serval.Worker;

/// <summary>
/// A running worker: the HTTP server starts listening at once (liveness answers while the model
/// downloads and loads), and readiness follows once the model has warmed up. The executable is
/// this class plus signal handling; benchmarks and tests start it in-process.
/// </summary>
[SuppressMessage("Performance", "CA1515:Consider making public types internal",
    Justification = "The in-process entry point for benchmarks and embedding, beside the executable.")]
public sealed partial class WorkerHost : IAsyncDisposable
{
    /// <summary>The only model version a worker serves.</summary>
    public const string ModelVersion = "1";

    private readonly WebApplication _app;
    private readonly WorkerOptions _options;
    private readonly ServingState _state;
    private readonly WorkerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _run;

    private WorkerHost(WebApplication app, WorkerOptions options, ServingState state, WorkerMetrics metrics)
    {
        _app = app;
        _options = options;
        _state = state;
        _metrics = metrics;
        _logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Serval.Worker");
        BaseAddress = ListeningAddress(app);
        _run = RunAsync();
    }

    /// <summary>Where the server listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The served model name (the <c>{model}</c> in <c>/v2/models/{model}</c>).</summary>
    public string ModelName => _state.ModelName;

    /// <summary>Completes when the model serves; faults with <see cref="ModelLoadException"/> when it cannot load.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Completes when the worker has stopped; faults with <see cref="ModelLoadException"/> when the model could not load.</summary>
    public Task Completion => _run;

    /// <summary>The variable .NET reads once, at the first socket use, to complete socket I/O on its event threads.</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Whether this process completes socket I/O inline (see <see cref="PreferInlineSocketCompletions"/>).</summary>
    public static bool InlineSocketCompletions => Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1";

    /// <summary>
    /// Unless the environment already says either way, asks .NET to complete socket I/O on its event threads (one per
    /// core), as an event loop does: a lone request is then read, computed (a fast model) and answered without a
    /// thread hand-off. Must run before the process's first socket is used: .NET reads the setting once.
    /// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c> keeps the thread-pool dispatch.
    /// </summary>
    public static void PreferInlineSocketCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is not null)
        {
            return;
        }

        Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
    }

    /// <summary>Starts listening and begins loading the model.</summary>
    /// <exception cref="ArgumentException">An option is out of range or unusable (e.g. the token file cannot be read).</exception>
    public static async Task<WorkerHost> StartAsync(
        WorkerOptions options, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        WorkerOptionsValidator.Validate(options);
        var name = options.Name ?? ModelFetcher.DefaultName(options.Model, options.ModelFile);
        var state = new ServingState(name, ModelVersion);
        var metrics = new WorkerMetrics(Metrics.NewCustomRegistry(), name, ModelVersion);
        var auth = options.AuthTokenFile is null ? null : BearerTokenAuthentication.FromFile(options.AuthTokenFile, metrics);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Hosting opens a logging scope for every request while this category logs at any level, and it only ever
        // logs request start and finish (Information, Debug). Off, the worker answered 1.13x the requests at
        // concurrency 64 (make bench-worker, side by side).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        configureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(new EndpointLimits(
            options.MaxRequestBytes, options.MaxTensorElements,
            TimeSpan.FromMilliseconds(options.RequestTimeoutMilliseconds), options.MaxQueueLength));
        builder.Services.AddSingleton<InferenceEndpoints>();
        // Requests are handled on the thread that completed their socket read, as an event loop does, when the
        // process completes socket I/O inline (serval-worker does unless DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS
        // says otherwise): two thread-pool hand-offs fewer per request. Nothing slow runs there: large bodies are
        // parsed on the thread pool and slow models run on the executors.
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = InlineSocketCompletions);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            if (options.Host == "localhost")
            {
                kestrel.ListenLocalhost(options.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
            }
        });

        var app = builder.Build();
        if (auth is not null)
        {
            app.Use(auth.InvokeAsync);
        }

        MapEndpoints(app, app.Services.GetRequiredService<InferenceEndpoints>(), metrics);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new WorkerHost(app, options, state, metrics);
    }

    /// <summary>Stops accepting requests, lets those in flight finish, and releases the model.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _app.Lifetime.StopApplication();
        await _run.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void MapEndpoints(WebApplication app, InferenceEndpoints endpoints, WorkerMetrics metrics)
    {
        app.MapGet("/v2/health/live", (RequestDelegate)InferenceEndpoints.Live);
        app.MapGet("/v2/health/ready", (RequestDelegate)endpoints.Ready);
        app.MapGet("/v2", (RequestDelegate)InferenceEndpoints.ServerMetadata);
        app.MapGet("/v2/models", (RequestDelegate)endpoints.ModelList);
        app.MapGet("/v2/models/{model}", (RequestDelegate)endpoints.ModelMetadata);
        app.MapGet("/v2/models/{model}/versions/{version}", (RequestDelegate)endpoints.ModelMetadata);
        app.MapGet("/v2/models/{model}/ready", (RequestDelegate)endpoints.ModelReady);
        app.MapGet("/v2/models/{model}/versions/{version}/ready", (RequestDelegate)endpoints.ModelReady);
        app.MapPost("/v2/models/{model}/infer", (RequestDelegate)endpoints.Infer);
        app.MapPost("/v2/models/{model}/versions/{version}/infer", (RequestDelegate)endpoints.Infer);
        // Classic Prometheus text: OpenMetrics would add _total to the Triton counter names.
        app.MapMetrics(settings =>
        {
            settings.Registry = metrics.Registry;
            settings.EnableOpenMetrics = false;
        }, "/metrics");
        app.MapFallback((RequestDelegate)InferenceEndpoints.NoSuchEndpoint);
    }

    private static Uri ListeningAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the server reports no listening address");
        var uri = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal));
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    private async Task RunAsync()
    {
        var stopping = _app.Lifetime.ApplicationStopping;
        using var stoppingRegistration = stopping.Register(() =>
        {
            _state.Stop();
            _metrics.NotReady();
        });

        Loaded? loaded = null;
        try
        {
            loaded = await LoadAsync(stopping).ConfigureAwait(false);
            _state.Serve(new ServingModel(loaded.Model.Signature, loaded.Scheduler, loaded.Model.ExecutionProvider));
            _ready.TrySetResult();
        }
        catch (Exception e) when (e is ModelLoadException or OperationCanceledException)
        {
            var error = e as ModelLoadException ?? new ModelLoadException("the worker stopped before the model was loaded", e);
            LogLoadFailed(_logger, error.Message);
            _ready.TrySetException(error);
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw error;
        }

        try
        {
            await _app.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            // Kestrel has drained the requests in flight; the queue is empty or finishing.
            loaded.Scheduler.Dispose();
            loaded.Model.Dispose();
            loaded.File.Dispose();
            LogStopped(_logger, _state.ModelName);
        }
    }

    private sealed record Loaded(FetchedModel File, OnnxModel Model, InferenceScheduler Scheduler);

    private async Task<Loaded> LoadAsync(CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var started = time.GetTimestamp();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var fetcher = new ModelFetcher(http, _logger, time);
        var file = await fetcher.FetchAsync(
            _options.Model, _options.ModelFile, _options.ModelSha256, TimeSpan.FromSeconds(_options.DownloadTimeoutSeconds), cancellationToken)
            .ConfigureAwait(false);
        OnnxModel? model = null;
        try
        {
            LogLoading(_logger, _state.ModelName, file.Path);
            model = await Task.Run(
                () => OnnxModel.Load(file.Path, _options.ExecutionProvider, _options.IntraOpThreads, _options.InterOpThreads, _logger),
                cancellationToken).ConfigureAwait(false);
            var warmUp = model.WarmUp();
            cancellationToken.ThrowIfCancellationRequested();
            var scheduler = new InferenceScheduler(
                model,
                new SchedulerSettings(
                    _options.MaxBatchSize, TimeSpan.FromMicroseconds(_options.MaxQueueDelayMicroseconds), _options.MaxQueueLength, _options.Instances),
                _metrics, time, _logger);
            var elapsed = time.GetElapsedTime(started);
            _metrics.ModelLoaded(elapsed);
            LogReady(_logger, _state.ModelName, model.ExecutionProvider, scheduler.MaxBatchRows, elapsed.TotalSeconds, warmUp.TotalMilliseconds, BaseAddress);
            return new Loaded(file, model, scheduler);
        }
        catch
        {
            model?.Dispose();
            file.Dispose();
            throw;
        }
    }
}
