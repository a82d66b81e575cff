using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Objects;
using Serval.LocalCluster.Resources;
using Serval.LocalCluster.Tables;
using Serval.LocalCluster.Watch;

namespace Serval.LocalCluster.Server;

/// <summary>
/// Serves <c>?watch=true</c>: one JSON event per line, resumed from resourceVersion (an ERROR event with 410 Expired when
/// that is older than the retained window, as the watch cache answers), optional bookmarks, timeoutSeconds, and
/// Table-encoded events for <c>kubectl get --watch</c>.
/// </summary>
internal sealed class WatchStreamer(ObjectService objects, EmbeddedApiServerOptions options, TimeProvider time)
{
    private static readonly byte[] Added = "{\"type\":\"ADDED\",\"object\":"u8.ToArray();
    private static readonly byte[] Modified = "{\"type\":\"MODIFIED\",\"object\":"u8.ToArray();
    private static readonly byte[] Deleted = "{\"type\":\"DELETED\",\"object\":"u8.ToArray();
    private static readonly byte[] BookmarkPrefix = "{\"type\":\"BOOKMARK\",\"object\":"u8.ToArray();
    private static readonly byte[] ErrorPrefix = "{\"type\":\"ERROR\",\"object\":"u8.ToArray();
    private static readonly byte[] End = "}\n"u8.ToArray();

    public async Task ServeAsync(HttpContext ctx, RequestTarget target, CancellationToken requestAborted)
    {
        var type = target.Type;
        var query = ctx.Request.Query;
        var list = ApiHandler.ListOptionsFrom(query, type);
        var rvText = query["resourceVersion"].ToString();
        var sendInitialEvents = query["sendInitialEvents"].ToString() == "true";
        long? from = null;
        if (!sendInitialEvents && rvText is { Length: > 0 } and not "0")
        {
            from = long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
                ? rv
                : throw ApiException.BadRequest($"resourceVersion: invalid value \"{rvText}\": must be an integer");
        }

        var timeout = TimeSpan.FromMinutes(30);
        if (query["timeoutSeconds"].ToString() is { Length: > 0 } timeoutText)
        {
            timeout = int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : throw ApiException.BadRequest($"timeoutSeconds: invalid value \"{timeoutText}\": must be a non-negative integer");
        }

        var media = MediaTypes.Parse(ctx.Request.Headers.Accept.ToString());
        var include = query["includeObject"].ToString() switch
        {
            "Object" => TableIncludeObject.Object,
            "None" => TableIncludeObject.None,
            _ => TableIncludeObject.Metadata,
        };
        var watcher = new Watcher(target.Namespace, list.Labels, list.Fields, options.WatchQueueCapacity);
        var store = objects.Store.For(type.StorageResource);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = Responses.Json;
        ctx.Response.Headers.CacheControl = "no-cache, private";
        var body = ctx.Response.BodyWriter;
        try
        {
            store.Subscribe(watcher, from, sendInitialEvents);
        }
        catch (ApiException e) when (e.Code == 410)
        {
            body.Write(ErrorPrefix);
            body.Write(e.ToStatus().ToUtf8());
            body.Write(End);
            await body.FlushAsync(requestAborted).ConfigureAwait(false);
            return;
        }

        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, timeoutCts.Token);
        var ct = linked.Token;
        using var bookmarks = query["allowWatchBookmarks"].ToString() == "true"
            ? time.CreateTimer(_ => store.Bookmark(watcher), null, options.BookmarkInterval, options.BookmarkInterval)
            : null;
        try
        {
            await body.FlushAsync(ct).ConfigureAwait(false);
            var reader = watcher.Reader;
            while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (reader.TryRead(out var e))
                {
                    Write(body, type, e, media.TableVersion, include);
                }

                await body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away or timeoutSeconds passed: the stream simply ends.
        }
        finally
        {
            store.Unsubscribe(watcher);
        }
    }

    private void Write(PipeWriter body, ResourceType type, WatchEvent e, string? tableVersion, TableIncludeObject include)
    {
        if (e.Type == WatchEventType.Bookmark)
        {
            var metadata = new JsonObject { ["resourceVersion"] = e.ResourceVersion.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null };
            if (e.InitialEventsEnd)
            {
                metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            }

            var bookmark = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.GroupVersion, ["metadata"] = metadata };
            body.Write(BookmarkPrefix);
            body.Write(bookmark.ToUtf8());
            body.Write(End);
            return;
        }

        body.Write(e.Type switch
        {
            WatchEventType.Added => Added,
            WatchEventType.Modified => Modified,
            _ => Deleted,
        });
        var view = ObjectService.View(type, e.Object!);
        if (tableVersion is not null)
        {
            var table = TableConverter.ToTable(type, [(e.Object!, view)], e.ResourceVersion, null, tableVersion, include, time.GetUtcNow());
            body.Write(table.ToUtf8());
        }
        else
        {
            body.Write(view);
        }

        body.Write(End);
    }
}
