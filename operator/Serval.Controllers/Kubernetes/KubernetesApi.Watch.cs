using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Serval.Controllers.Kubernetes;

public sealed partial class KubernetesApi
{
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        string? ns, WatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(options);
        var kind = ResourceKind.Of<T>();
        int? timeoutSeconds = options.Timeout is { } timeout ? Math.Max(1, (int)timeout.TotalSeconds) : null;
        var resourceVersion = NullIfEmpty(options.ResourceVersion);

        // The client reports an ERROR event through a callback and keeps reading; we stop the
        // stream there so the caller sees the error once and decides (relist on 410, retry else).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        V1Status? errorStatus = null;
        Exception? streamError = null;
        void OnError(Exception e)
        {
            if (e is KubernetesException { Status: { } status })
            {
                errorStatus = status;
            }
            else
            {
                streamError = e;
            }

            stop.Cancel();
        }

        var request = ns is null
            ? _client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(
                kind.Group, kind.Version, kind.Plural,
                allowWatchBookmarks: options.AllowBookmarks, continueParameter: null, fieldSelector: options.FieldSelector,
                labelSelector: options.LabelSelector, limit: null, resourceVersion: resourceVersion,
                resourceVersionMatch: null, timeoutSeconds: timeoutSeconds, watch: true, pretty: null,
                customHeaders: null, cancellationToken: stop.Token)
            : _client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(
                kind.Group, kind.Version, ns, kind.Plural,
                allowWatchBookmarks: options.AllowBookmarks, continueParameter: null, fieldSelector: options.FieldSelector,
                labelSelector: options.LabelSelector, limit: null, resourceVersion: resourceVersion,
                resourceVersionMatch: null, timeoutSeconds: timeoutSeconds, watch: true, pretty: null,
                customHeaders: null, cancellationToken: stop.Token);

        // WatchAsync is marked obsolete in KubernetesClient 21 with no replacement for custom
        // objects yet; this file is the only place that uses it.
#pragma warning disable CS0618
        var events = request.WatchAsync<T, object>(OnError, stop.Token);
#pragma warning restore CS0618

        var enumerator = events.GetAsyncEnumerator(stop.Token);
        try
        {
            while (true)
            {
                bool hasNext;
                try
                {
                    hasNext = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && (errorStatus is not null || streamError is not null))
                {
                    hasNext = false;
                }
                catch (HttpOperationException e)
                {
                    throw Translate(e, "watch", kind, ns, null);
                }

                if (errorStatus is not null)
                {
                    yield return new WatchEvent<T>(WatchEventType.Error, null, errorStatus);
                    yield break;
                }

                if (streamError is not null)
                {
                    throw new KubernetesApiException($"watch {kind.Resource} failed: {streamError.Message}", streamError);
                }

                if (!hasNext)
                {
                    yield break;
                }

                var (type, obj) = enumerator.Current;
                if (obj is not null)
                {
                    FillKind(obj, kind);
                }

                yield return new WatchEvent<T>(type, obj);
            }
        }
        finally
        {
            stop.Cancel();
            try
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Disposing a cancelled stream may report the cancellation we caused.
            }
        }
    }
}
