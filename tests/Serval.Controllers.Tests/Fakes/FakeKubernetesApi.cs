using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using k8s.LeaderElection;
using k8s.Models;
using Serval.Controllers.Kubernetes;

namespace Serval.Controllers.Tests.Fakes;

/// <summary>
/// A scripted API server for unit tests: lists answer from queued pages, watches are handed to
/// the test (<see cref="NextWatchAsync"/>) to feed, and writes are recorded.
/// </summary>
internal sealed class FakeKubernetesApi : IKubernetesApi
{
    private readonly ConcurrentDictionary<Type, ConcurrentQueue<object>> _listAnswers = new();
    private readonly ConcurrentDictionary<Type, Channel<FakeWatch>> _watches = new();

    public string FieldManager => "serval-operator";

    public ConcurrentQueue<ListOptions> ListCalls { get; } = new();

    public ConcurrentQueue<(string Verb, object Body)> Writes { get; } = new();

    /// <summary>Answers the next write with this error instead of success, once.</summary>
    public Exception? NextWriteError { get; set; }

    public void EnqueueList<T>(string resourceVersion, params T[] items)
        where T : class => Answers<T>().Enqueue(new ResourcePage<T>(items, resourceVersion, null));

    public void EnqueuePage<T>(ResourcePage<T> page)
        where T : class => Answers<T>().Enqueue(page);

    public void EnqueueListError<T>(Exception error)
        where T : class => Answers<T>().Enqueue(error);

    public async Task<FakeWatch> NextWatchAsync<T>(TimeSpan? timeout = null) =>
        await Watches<T>().Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));

    public bool TryTakeWatch<T>(out FakeWatch? watch) => Watches<T>().Reader.TryRead(out watch);

    private ConcurrentQueue<object> Answers<T>() => _listAnswers.GetOrAdd(typeof(T), _ => new ConcurrentQueue<object>());

    private Channel<FakeWatch> Watches<T>() => _watches.GetOrAdd(typeof(T), _ => Channel.CreateUnbounded<FakeWatch>());

    public Task<ResourcePage<T>> ListAsync<T>(string? ns, ListOptions options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ListCalls.Enqueue(options);
        if (!Answers<T>().TryDequeue(out var answer))
        {
            // Unscripted lists find nothing.
            return Task.FromResult(new ResourcePage<T>([], "1", null));
        }

        return answer is Exception error ? Task.FromException<ResourcePage<T>>(error) : Task.FromResult((ResourcePage<T>)answer);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        string? ns, WatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var watch = new FakeWatch(typeof(T), ns, options);
        await Watches<T>().Writer.WriteAsync(watch, cancellationToken);
        await foreach (var change in watch.Reader.ReadAllAsync(cancellationToken))
        {
            yield return (WatchEvent<T>)change;
        }
    }

    public Task<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => Task.FromResult<T?>(null);

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => Write("create", obj);

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => Write("replace", obj);

    public Task<T> ApplyAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => Write("apply", obj);

    public Task<T> ApplyStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => Write("apply-status", obj);

    public Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => Write("update-status", obj);

    public Task<T> PatchAsync<T>(string? ns, string name, V1Patch patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Writes.Enqueue(("patch", (ns, name, patch)));
        return Task.FromResult(Activator.CreateInstance<T>());
    }

    public Task ScaleAsync<T>(string ns, string name, int from, int to, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Writes.Enqueue(("scale", (ns, name, from, to)));
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Writes.Enqueue(("delete", (ns, name)));
        return Task.FromResult(true);
    }

    /// <summary>The lease behind <see cref="CreateLeaseLock"/>; share one between fakes to elect among hosts.</summary>
    public InMemoryLease Lease { get; set; } = new();

    public ILock CreateLeaseLock(string ns, string name, string identity) => Lease.LockFor(identity);

    private Task<T> Write<T>(string verb, T obj)
    {
        if (NextWriteError is { } error)
        {
            NextWriteError = null;
            return Task.FromException<T>(error);
        }

        Writes.Enqueue((verb, obj!));
        return Task.FromResult(obj);
    }
}
