using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Monitoring;

namespace Serval.Controllers.Cache;

/// <summary>
/// Keeps a local cache of one kind in step with the API server: a paged list, then a watch from
/// the list's resourceVersion; bookmarks move the resume point; 410 Gone triggers a relist that
/// reports objects which vanished meanwhile as deletes; a silent watch is dropped by a watchdog;
/// failures back off exponentially with jitter.
/// </summary>
/// <typeparam name="T">The kind.</typeparam>
public sealed class Informer<T> : IInformer, ICacheReader<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IKubernetesApi _api;
    private readonly InformerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ControllerMetrics? _metrics;
    private readonly Random _random;
    private readonly ObjectStore<T> _store = new();
    private readonly List<IInformerHandler<T>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LabelSelector _selector;
    private string? _resourceVersion;
    private int _started;

    public Informer(
        IKubernetesApi api,
        InformerOptions? options = null,
        TimeProvider? time = null,
        ILogger? logger = null,
        ControllerMetrics? metrics = null,
        Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        _options = options ?? new InformerOptions();
        _options.Validate();
        _api = api;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics;
        _random = random ?? new Random();
        _selector = LabelSelector.Parse(_options.LabelSelector);
        Kind = ResourceKind.Of<T>();
    }

    public ResourceKind Kind { get; }

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Where the next watch resumes: the last list's, event's or bookmark's resourceVersion.</summary>
    public string? ResourceVersion => Volatile.Read(ref _resourceVersion);

    /// <summary>Objects in the cache.</summary>
    public int Count => _store.Count;

    /// <summary>Adds a handler; only before <see cref="RunAsync"/>, so that no handler misses the first list.</summary>
    public void AddHandler(IInformerHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfStarted(nameof(AddHandler));
        _handlers.Add(handler);
    }

    /// <summary>Adds an index; only before <see cref="RunAsync"/>.</summary>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> indexer)
    {
        ThrowIfStarted(nameof(AddIndexer));
        _store.AddIndexer(name, indexer);
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public T? Get(string? ns, string name) => _store.Get(new ObjectKey(string.IsNullOrEmpty(ns) ? null : ns, name));

    public IReadOnlyList<T> List(string? ns = null, LabelSelector? selector = null)
    {
        var candidates = ns is null ? _store.List() : _store.ByIndex(CacheIndexes.Namespace, ns);
        return selector is null || selector.IsEverything
            ? candidates
            : [.. candidates.Where(o => selector.Matches(o.Metadata?.Labels))];
    }

    public IReadOnlyList<T> ByIndex(string indexName, string value) => _store.ByIndex(indexName, value);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException($"The informer for {Kind} is already running.");
        }

        var backoff = new ReconnectBackoff(_options.InitialBackoff, _options.MaxBackoff, jitter: 1.0, _random);
        var relist = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan? delay = null;
            try
            {
                if (relist)
                {
                    await ListAsync(cancellationToken).ConfigureAwait(false);
                    relist = false;
                    backoff.Reset();
                }

                var (end, delivered) = await WatchOnceAsync(cancellationToken).ConfigureAwait(false);
                if (delivered)
                {
                    backoff.Reset();
                }

                switch (end)
                {
                    case WatchEnd.Gone:
                        InformerLog.Gone(_logger, Kind.Kind);
                        relist = true;
                        break;
                    case WatchEnd.Silent:
                        InformerLog.Silent(_logger, Kind.Kind, _options.SilenceTimeout);
                        break;
                    case WatchEnd.Closed when !delivered:
                        // A server that closes watches at once must not be hammered.
                        delay = backoff.Next();
                        break;
                }

                var reason = Reason(end);
                var resumeFrom = ResourceVersion;
                InformerLog.WatchEnded(_logger, Kind.Kind, reason, resumeFrom);
                CountRestart(reason);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException e) when (e.IsGone)
            {
                // Too old to resume (a watch start or an expired continue token): list afresh.
                InformerLog.Gone(_logger, Kind.Kind);
                relist = true;
                CountRestart("gone");
            }
            catch (Exception e)
            {
                delay = backoff.Next();
                InformerLog.Failed(_logger, e, Kind.Kind, delay.Value);
                CountRestart("error");
            }

            if (delay is { } wait)
            {
                try
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string resourceVersion;
        var pages = 0;
        do
        {
            var page = await _api.ListAsync<T>(
                _options.Namespace,
                new ListOptions { LabelSelector = _options.LabelSelector, Limit = _options.PageSize, Continue = continueToken },
                cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                items.Add(Trim(item));
            }

            continueToken = page.Continue;
            resourceVersion = page.ResourceVersion;
            pages++;
        }
        while (continueToken is not null);

        var changes = _store.Replace(items);
        Volatile.Write(ref _resourceVersion, resourceVersion);
        var vanished = 0;
        foreach (var change in changes)
        {
            switch (change.Type)
            {
                case StoreChangeType.Added:
                    Dispatch(h => h.OnAdd(change.New));
                    break;
                case StoreChangeType.Updated:
                    Dispatch(h => h.OnUpdate(change.Old!, change.New));
                    break;
                case StoreChangeType.Deleted:
                    vanished++;
                    Dispatch(h => h.OnDelete(change.New));
                    break;
            }
        }

        InformerLog.Listed(_logger, Kind.Kind, items.Count, resourceVersion, pages, vanished);
        _synced.TrySetResult();
    }

    private async Task<(WatchEnd End, bool Delivered)> WatchOnceAsync(CancellationToken cancellationToken)
    {
        // Randomised so that informers started together do not all reconnect together.
        var timeout = _options.WatchTimeout * (1 + _random.NextDouble());
        var options = new WatchOptions
        {
            ResourceVersion = ResourceVersion,
            AllowBookmarks = true,
            Timeout = timeout,
            LabelSelector = _options.LabelSelector,
        };

        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var silent = 0;
        using var watchdog = _time.CreateTimer(
            _ =>
            {
                Volatile.Write(ref silent, 1);
                try
                {
                    watch.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The watch already ended.
                }
            },
            null,
            _options.SilenceTimeout,
            Timeout.InfiniteTimeSpan);

        var delivered = false;
        try
        {
            await foreach (var change in _api.WatchAsync<T>(_options.Namespace, options, watch.Token).ConfigureAwait(false))
            {
                watchdog.Change(_options.SilenceTimeout, Timeout.InfiniteTimeSpan);
                delivered = true;
                if (change.Type == WatchEventType.Error)
                {
                    if (change.IsGone)
                    {
                        return (WatchEnd.Gone, delivered);
                    }

                    var status = change.Status;
                    throw new KubernetesApiException(
                        $"watch {Kind.Resource} reported an error: {status?.Code} {status?.Reason}: {status?.Message}",
                        (System.Net.HttpStatusCode)(status?.Code ?? 500),
                        status,
                        null);
                }

                Apply(change);
            }

            return (WatchEnd.Closed, delivered);
        }
        catch (OperationCanceledException) when (Volatile.Read(ref silent) == 1 && !cancellationToken.IsCancellationRequested)
        {
            return (WatchEnd.Silent, delivered);
        }
    }

    /// <summary>
    /// Drops what the cache's readers never use before the object is kept: metadata.managedFields (the server-side
    /// apply bookkeeping of every field manager, often larger than the rest of the object), unless
    /// <see cref="InformerOptions.KeepManagedFields"/>. Writes never start from a cached object, so nothing is lost.
    /// Labels and annotations are kept as <see cref="CompactStringDictionary"/>s: smaller, and read-only as the cache is.
    /// </summary>
    private T Trim(T obj)
    {
        if (obj.Metadata is { } metadata)
        {
            if (!_options.KeepManagedFields)
            {
                metadata.ManagedFields = null;
            }

            metadata.Labels = CompactStringDictionary.Of(metadata.Labels);
            metadata.Annotations = CompactStringDictionary.Of(metadata.Annotations);
        }

        return obj;
    }

    private void Apply(WatchEvent<T> change)
    {
        var obj = change.Object;
        if (obj?.Metadata is null)
        {
            return;
        }

        switch (change.Type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                if (!_selector.Matches(obj.Metadata.Labels))
                {
                    break;
                }

                var old = _store.Upsert(Trim(obj));
                if (old is null)
                {
                    Dispatch(h => h.OnAdd(obj));
                }
                else
                {
                    Dispatch(h => h.OnUpdate(old, obj));
                }

                break;
            case WatchEventType.Deleted:
                var removed = _store.Remove(ObjectKey.Of(obj));
                Dispatch(h => h.OnDelete(removed ?? obj));
                break;
        }

        // Bookmarks carry nothing but the resume point.
        if (!string.IsNullOrEmpty(obj.Metadata.ResourceVersion))
        {
            Volatile.Write(ref _resourceVersion, obj.Metadata.ResourceVersion);
        }
    }

    private void Dispatch(Action<IInformerHandler<T>> action)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                action(handler);
            }
            catch (Exception e)
            {
                // A faulty handler must not stop the cache from following the server.
                InformerLog.HandlerFailed(_logger, e, Kind.Kind);
            }
        }
    }

    private void CountRestart(string reason) => _metrics?.WatchRestarts.WithLabels(Kind.Kind, reason).Inc();

    private void ThrowIfStarted(string operation)
    {
        if (Volatile.Read(ref _started) == 1)
        {
            throw new InvalidOperationException($"{operation} must be called before the informer for {Kind} runs.");
        }
    }

    private static string Reason(WatchEnd end) => end switch
    {
        WatchEnd.Gone => "gone",
        WatchEnd.Silent => "watchdog",
        _ => "closed",
    };

    private enum WatchEnd
    {
        Closed,
        Gone,
        Silent,
    }
}
