using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Serval.LocalCluster.Aggregation;
using Serval.LocalCluster.Discovery;
using Serval.LocalCluster.Faults;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Objects;
using Serval.LocalCluster.OpenApi;
using Serval.LocalCluster.Requests;
using Serval.LocalCluster.Resources;
using Serval.LocalCluster.Selectors;
using Serval.LocalCluster.Tables;

namespace Serval.LocalCluster.Server;

/// <summary>
/// The HTTP face of the API server: routes Kubernetes paths to discovery, OpenAPI or the object verbs, applies
/// programmed faults, records every request, and encodes answers (JSON, Tables, watch streams) as kube-apiserver does.
/// </summary>
internal sealed partial class ApiHandler(ObjectService objects, WatchStreamer watches, FaultInjector faults, RequestLog log,
    TimeProvider time, ILogger logger, Func<string> serverAddress, ApiServiceProxy aggregation)
{
    /// <summary>How long aggregated discovery waits for an APIService backend's resource list.</summary>
    private static readonly TimeSpan BackendDiscoveryTimeout = TimeSpan.FromSeconds(2);

    private const int MaxBodyBytes = 3 * 1024 * 1024;

    private ResourceRegistry Registry => objects.Registry;

    public async Task HandleAsync(HttpContext ctx)
    {
        var ct = ctx.RequestAborted;
        var path = ctx.Request.Path.Value ?? "/";
        var record = new RequestRecord(time.GetUtcNow(), ctx.Request.Method, path, "get", string.Empty, string.Empty, string.Empty,
            null, null, null, ctx.Request.Headers.UserAgent.ToString(), ctx.Request.Query["fieldManager"].ToString() is { Length: > 0 } fm ? fm : null, 0);
        try
        {
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments is ["apis", var g, var v, ..] && aggregation.Find(g, v) is { } apiService)
            {
                record = record with { Verb = AggregatedVerb(ctx.Request.Method, segments), Group = g, Version = v, Resource = AggregatedResource(segments) };
                record = record with { StatusCode = await aggregation.ForwardAsync(ctx, apiService, ct).ConfigureAwait(false) };
                return;
            }

            if (!TryParseResource(ctx, segments, out var target, out var watch))
            {
                record = record with { StatusCode = 200 };
                var handled = await ServeNonResourceAsync(ctx, segments, ct).ConfigureAwait(false);
                record = record with { StatusCode = handled };
                return;
            }

            record = record with
            {
                Verb = target.Verb,
                Group = target.Type.Group,
                Version = target.Type.Version,
                Resource = target.Type.Plural,
                Subresource = target.Subresource,
                Namespace = target.Namespace,
                Name = target.Name,
            };
            var (latency, failure) = faults.Decide(record);
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, time, ct).ConfigureAwait(false);
            }

            if (failure is not null)
            {
                record = record with { StatusCode = failure.Code };
                await Responses.WriteStatusAsync(ctx, failure, ct).ConfigureAwait(false);
                return;
            }

            if (watch)
            {
                record = record with { StatusCode = 200 };
                log.Add(record);
                await watches.ServeAsync(ctx, target, ct).ConfigureAwait(false);
                return;
            }

            record = record with { StatusCode = await ServeResourceAsync(ctx, target, ct).ConfigureAwait(false) };
        }
        catch (ApiException e)
        {
            record = record with { StatusCode = e.Code };
            if (!ctx.Response.HasStarted)
            {
                await Responses.WriteStatusAsync(ctx, e, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            record = record with { StatusCode = 499 };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogUnhandled(logger, ctx.Request.Method, path, e);
            record = record with { StatusCode = 500 };
            if (!ctx.Response.HasStarted)
            {
                await Responses.WriteStatusAsync(ctx, new ApiException(500, "InternalError", $"Internal error occurred: {e.Message}"), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            if (record.Verb != "watch")
            {
                log.Add(record);
            }
        }
    }

    private bool TryParseResource(HttpContext ctx, string[] segments, out RequestTarget target, out bool watch)
    {
        target = null!;
        watch = false;
        string group;
        string version;
        int rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = (string.Empty, segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return false;
        }

        var parts = segments[rest..];
        if (parts[0] == "watch")
        {
            watch = true;
            parts = parts[1..];
        }

        string? ns = null;
        if (parts.Length >= 3 && parts[0] == "namespaces" && Registry.Find(group, version, parts[2]) is { Namespaced: true })
        {
            ns = parts[1];
            parts = parts[2..];
        }

        if (parts.Length == 0 || parts.Length > 3)
        {
            throw ApiException.PathNotFound(ctx.Request.Path.Value ?? string.Empty);
        }

        var type = Registry.Find(group, version, parts[0]) ?? throw ApiException.PathNotFound(ctx.Request.Path.Value ?? string.Empty);
        var name = parts.Length > 1 ? parts[1] : null;
        var subresource = parts.Length > 2 ? parts[2] : null;
        if (subresource is not null && !((subresource == "status" && type.HasStatus) || (subresource == "scale" && type.Scale is not null)))
        {
            throw ApiException.PathNotFound(ctx.Request.Path.Value ?? string.Empty);
        }

        if (type.Namespaced && ns is null && name is not null)
        {
            throw ApiException.PathNotFound(ctx.Request.Path.Value ?? string.Empty);
        }

        var query = ctx.Request.Query;
        watch |= query["watch"].ToString() is "true" or "1";
        var verb = ctx.Request.Method switch
        {
            "GET" when name is not null => "get",
            "GET" => watch ? "watch" : "list",
            "POST" when name is null => "create",
            "PUT" when name is not null => "update",
            "PATCH" when name is not null => "patch",
            "DELETE" when name is not null && subresource is null => "delete",
            "DELETE" when name is null => "deletecollection",
            _ => throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource"),
        };
        if (type.Namespaced && ns is null && verb is "create" or "deletecollection")
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        if (watch && verb != "watch")
        {
            watch = false;
        }

        target = new RequestTarget(verb, type, ns, name, subresource);
        return true;
    }

    private async Task<int> ServeNonResourceAsync(HttpContext ctx, string[] segments, CancellationToken ct)
    {
        if (ctx.Request.Method != "GET" && ctx.Request.Method != "HEAD")
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        switch (segments)
        {
            case ["healthz" or "livez" or "readyz", ..]:
                await Responses.WriteTextAsync(ctx, 200, "ok", ct).ConfigureAwait(false);
                return 200;
            case ["version"]:
                await Responses.WriteJsonAsync(ctx, 200, DiscoveryDocuments.Version(), ct).ConfigureAwait(false);
                return 200;
            case ["api" or "apis"] when DiscoveryDocuments.WantsAggregated(ctx.Request.Headers.Accept.ToString()):
                {
                    var core = segments[0] == "api";
                    var served = core ? [] : await aggregation.DiscoverAsync(BackendDiscoveryTimeout, ct).ConfigureAwait(false);
                    await Responses.WriteJsonAsync(ctx, 200, DiscoveryDocuments.Aggregated(Registry, core, served), ct,
                        DiscoveryDocuments.AggregatedMediaType).ConfigureAwait(false);
                    return 200;
                }

            case ["api"]:
                await Responses.WriteJsonAsync(ctx, 200, DiscoveryDocuments.CoreVersions(serverAddress()), ct).ConfigureAwait(false);
                return 200;
            case ["apis"]:
                await Responses.WriteJsonAsync(ctx, 200, DiscoveryDocuments.GroupList(Registry, aggregation.Groups()), ct).ConfigureAwait(false);
                return 200;
            case ["api", var v]:
                return await WriteOrNotFound(ctx, DiscoveryDocuments.ResourceList(Registry, string.Empty, v), ct).ConfigureAwait(false);
            case ["apis", var g]:
                return await WriteOrNotFound(ctx, DiscoveryDocuments.GroupDocument(Registry, aggregation.Groups(), g), ct).ConfigureAwait(false);
            case ["apis", var g, var v]:
                return await WriteOrNotFound(ctx, DiscoveryDocuments.ResourceList(Registry, g, v), ct).ConfigureAwait(false);
            case ["openapi", "v3"]:
                await Responses.WriteJsonAsync(ctx, 200, OpenApiDocuments.Index(Registry), ct).ConfigureAwait(false);
                return 200;
            case ["openapi", "v3", "api", var v]:
                return await WriteOrNotFound(ctx, OpenApiDocuments.GroupVersion(Registry, string.Empty, v), ct).ConfigureAwait(false);
            case ["openapi", "v3", "apis", var g, var v]:
                return await WriteOrNotFound(ctx, OpenApiDocuments.GroupVersion(Registry, g, v), ct).ConfigureAwait(false);
            default:
                throw ApiException.PathNotFound(ctx.Request.Path.Value ?? string.Empty);
        }
    }

    /// <summary>The verb of a proxied request, for the request log (the path shapes of kube-apiserver).</summary>
    private static string AggregatedVerb(string method, string[] segments)
    {
        var rest = segments[3..];
        if (rest is ["namespaces", _, ..])
        {
            rest = rest[2..];
        }

        return method switch
        {
            "GET" => rest.Length >= 2 ? "get" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
    }

    private static string AggregatedResource(string[] segments)
    {
        var rest = segments[3..];
        if (rest is ["namespaces", _, ..])
        {
            rest = rest[2..];
        }

        return rest.Length > 0 ? rest[0] : string.Empty;
    }

    private static async Task<int> WriteOrNotFound(HttpContext ctx, JsonObject? document, CancellationToken ct)
    {
        if (document is null)
        {
            throw ApiException.PathNotFound(ctx.Request.Path.Value ?? string.Empty);
        }

        await Responses.WriteJsonAsync(ctx, 200, document, ct).ConfigureAwait(false);
        return 200;
    }

    private async Task<int> ServeResourceAsync(HttpContext ctx, RequestTarget target, CancellationToken ct)
    {
        var accept = ctx.Request.Headers.Accept.ToString();
        if (!MediaTypes.AcceptsJson(accept))
        {
            throw ApiException.NotAcceptable("only the following media types are accepted: application/json, application/yaml");
        }

        var type = target.Type;
        var query = ctx.Request.Query;
        var options = WriteOptionsFrom(ctx);
        if (type.IsReview)
        {
            if (target.Verb != "create")
            {
                throw ApiException.MethodNotAllowed($"{type.Plural} can only be created");
            }

            // The question does not change the answer, so a protobuf body need not be decoded.
            var review = (ctx.Request.ContentType ?? string.Empty).Contains("protobuf", StringComparison.OrdinalIgnoreCase)
                ? new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.GroupVersion, ["metadata"] = new JsonObject() }
                : await ReadObjectAsync(ctx, ct).ConfigureAwait(false);
            review["status"] = new JsonObject { ["allowed"] = true, ["reason"] = "the local cluster does not enforce RBAC: every request is allowed" };
            await Responses.WriteJsonAsync(ctx, 201, review, ct).ConfigureAwait(false);
            return 201;
        }

        switch (target.Verb)
        {
            case "get" when target.Subresource == "scale":
                await Responses.WriteJsonAsync(ctx, 200, objects.GetScale(type, target.Namespace, target.Name!), ct).ConfigureAwait(false);
                return 200;
            case "get":
                {
                    var stored = objects.Get(type, target.Namespace, target.Name!);
                    var media = MediaTypes.Parse(accept);
                    if (media.TableVersion is { } tableVersion)
                    {
                        var table = TableConverter.ToTable(type, [(stored, ObjectService.View(type, stored))], stored.ResourceVersion, null, tableVersion,
                            IncludeObject(query), time.GetUtcNow());
                        await Responses.WriteJsonAsync(ctx, 200, table, ct).ConfigureAwait(false);
                    }
                    else if (media.PartialMetadataVersion is { } metaVersion)
                    {
                        await Responses.WriteJsonAsync(ctx, 200, TableConverter.PartialMetadata(stored.ToJson(), metaVersion), ct).ConfigureAwait(false);
                    }
                    else
                    {
                        await Responses.WriteBytesAsync(ctx, 200, ObjectService.View(type, stored), ct).ConfigureAwait(false);
                    }

                    return 200;
                }

            case "list":
                await WriteListAsync(ctx, type, target.Namespace, ListOptionsFrom(query, type), accept, ct).ConfigureAwait(false);
                return 200;
            case "create":
                {
                    var body = await ReadObjectAsync(ctx, ct).ConfigureAwait(false);
                    var result = objects.Create(type, target.Namespace, body, options);
                    Responses.AddWarnings(ctx, result.Warnings);
                    await Responses.WriteBytesAsync(ctx, 201, ObjectService.View(type, result.Object), ct).ConfigureAwait(false);
                    return 201;
                }

            case "update" when target.Subresource == "scale":
                {
                    var body = await ReadObjectAsync(ctx, ct).ConfigureAwait(false);
                    var scale = objects.UpdateScale(type, target.Namespace, target.Name!, _ => body, options);
                    await Responses.WriteJsonAsync(ctx, 200, scale, ct).ConfigureAwait(false);
                    return 200;
                }

            case "update":
                {
                    var body = await ReadObjectAsync(ctx, ct).ConfigureAwait(false);
                    var result = objects.Update(type, target.Namespace, target.Name!, target.Subresource, body, options);
                    Responses.AddWarnings(ctx, result.Warnings);
                    await Responses.WriteBytesAsync(ctx, 200, ObjectService.View(type, result.Object), ct).ConfigureAwait(false);
                    return 200;
                }

            case "patch" when target.Subresource == "scale":
                {
                    var patch = await ReadBodyAsync(ctx, ct).ConfigureAwait(false);
                    var contentType = ctx.Request.ContentType ?? string.Empty;
                    var scale = objects.UpdateScale(type, target.Namespace, target.Name!, current => PatchScale(current, contentType, patch), options);
                    await Responses.WriteJsonAsync(ctx, 200, scale, ct).ConfigureAwait(false);
                    return 200;
                }

            case "patch":
                {
                    var patch = await ReadBodyAsync(ctx, ct).ConfigureAwait(false);
                    var existed = objects.TryGet(type, target.Namespace, target.Name!) is not null;
                    var result = objects.Patch(type, target.Namespace, target.Name!, target.Subresource, ctx.Request.ContentType ?? string.Empty, patch, options);
                    Responses.AddWarnings(ctx, result.Warnings);
                    var code = existed || !result.Created ? 200 : 201;
                    await Responses.WriteBytesAsync(ctx, code, ObjectService.View(type, result.Object), ct).ConfigureAwait(false);
                    return code;
                }

            case "delete":
                {
                    var delete = await DeleteOptionsFromAsync(ctx, ct).ConfigureAwait(false);
                    var result = objects.Delete(type, target.Namespace, target.Name!, delete);
                    if (result.Gone && !type.ReturnDeletedObject)
                    {
                        await Responses.WriteJsonAsync(ctx, 200, Responses.Success(target.Name!, type.Group, type.Plural, result.Object.Uid), ct).ConfigureAwait(false);
                        return 200;
                    }

                    var code = result.Gone ? 200 : 202;
                    await Responses.WriteBytesAsync(ctx, code, ObjectService.View(type, result.Object), ct).ConfigureAwait(false);
                    return code;
                }

            case "deletecollection":
                {
                    var delete = await DeleteOptionsFromAsync(ctx, ct).ConfigureAwait(false);
                    objects.DeleteCollection(type, target.Namespace, ListOptionsFrom(query, type), delete);
                    var status = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success" };
                    await Responses.WriteJsonAsync(ctx, 200, status, ct).ConfigureAwait(false);
                    return 200;
                }

            default:
                throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private async Task WriteListAsync(HttpContext ctx, ResourceType type, string? ns, ListOptions options, string accept, CancellationToken ct)
    {
        var page = objects.List(type, ns, options);
        var media = MediaTypes.Parse(accept);
        if (media.TableVersion is { } tableVersion)
        {
            var table = TableConverter.ToTable(type, page.Items.Select(i => (i, ObjectService.View(type, i))), page.ResourceVersion, page.Continue,
                tableVersion, IncludeObject(ctx.Request.Query), time.GetUtcNow());
            await Responses.WriteJsonAsync(ctx, 200, table, ct).ConfigureAwait(false);
            return;
        }

        var metadata = new JsonObject { ["resourceVersion"] = page.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (page.Continue is not null)
        {
            metadata["continue"] = page.Continue;
            metadata["remainingItemCount"] = page.RemainingItemCount;
        }

        var (kind, apiVersion) = media.PartialMetadataVersion is { } metaVersion
            ? ("PartialObjectMetadataList", $"meta.k8s.io/{metaVersion}")
            : (type.ListKind, type.GroupVersion);
        var head = Encoding.UTF8.GetBytes($"{{\"kind\":\"{kind}\",\"apiVersion\":\"{apiVersion}\",\"metadata\":{metadata.ToJsonString(JsonObjects.Compact)},\"items\":[");
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = Responses.Json;
        var body = ctx.Response.BodyWriter;
        body.Write(head);
        for (var i = 0; i < page.Items.Count; i++)
        {
            if (i > 0)
            {
                body.Write(","u8);
            }

            var item = page.Items[i];
            body.Write(media.PartialMetadataVersion is { } v ? TableConverter.PartialMetadata(item.ToJson(), v).ToUtf8() : ObjectService.View(type, item));
            if (i % 256 == 255)
            {
                await body.FlushAsync(ct).ConfigureAwait(false);
            }
        }

        body.Write("]}"u8);
        await body.FlushAsync(ct).ConfigureAwait(false);
    }

    private static JsonObject PatchScale(JsonObject current, string contentType, byte[] patch)
    {
        var media = contentType.Split(';')[0].Trim();
        return media switch
        {
            "application/json-patch+json" => Patch.JsonPatch.Apply(current, JsonNode.Parse(patch) as JsonArray
                ?? throw ApiException.BadRequest("a json patch must be an array")) as JsonObject ?? current,
            "application/merge-patch+json" or "application/strategic-merge-patch+json" =>
                Patch.MergePatch.Apply(current, JsonObjects.ParseObject(patch, "patch")) as JsonObject ?? current,
            _ => throw ApiException.UnsupportedMediaType($"unsupported patch type for the scale subresource: {media}"),
        };
    }

    internal static ListOptions ListOptionsFrom(IQueryCollection query, ResourceType type)
    {
        int? limit = null;
        if (query["limit"].ToString() is { Length: > 0 } limitText)
        {
            limit = int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var l)
                ? l
                : throw ApiException.BadRequest($"limit: invalid value \"{limitText}\": must be a non-negative integer");
        }

        return new ListOptions(LabelSelector.Parse(query["labelSelector"].ToString()),
            FieldSelector.Parse(query["fieldSelector"].ToString(), type.SelectableFields, type.GroupResource),
            limit, query["continue"].ToString() is { Length: > 0 } c ? c : null);
    }

    private static WriteOptions WriteOptionsFrom(HttpContext ctx)
    {
        var query = ctx.Request.Query;
        var validation = query["fieldValidation"].ToString() switch
        {
            "" or "Warn" => FieldValidation.Warn,
            "Strict" => FieldValidation.Strict,
            "Ignore" => FieldValidation.Ignore,
            var other => throw ApiException.BadRequest($"fieldValidation parameter unsupported: \"{other}\" (must be one of Ignore, Warn, Strict)"),
        };
        var dryRun = query["dryRun"].ToString() switch
        {
            "" => false,
            "All" => true,
            var other => throw ApiException.BadRequest($"dryRun: unsupported value \"{other}\" (must be All)"),
        };
        var fieldManager = query["fieldManager"].ToString();
        return new WriteOptions(fieldManager.Length > 0 ? fieldManager : null, ctx.Request.Headers.UserAgent.ToString(), dryRun, validation,
            query["force"].ToString() is "true" or "1");
    }

    private static TableIncludeObject IncludeObject(IQueryCollection query) => query["includeObject"].ToString() switch
    {
        "Object" => TableIncludeObject.Object,
        "None" => TableIncludeObject.None,
        _ => TableIncludeObject.Metadata,
    };

    private static async Task<DeleteOptions> DeleteOptionsFromAsync(HttpContext ctx, CancellationToken ct)
    {
        var query = ctx.Request.Query;
        var body = await ReadBodyAsync(ctx, ct).ConfigureAwait(false);
        var json = body.Length == 0 ? new JsonObject()
            : (ctx.Request.ContentType ?? string.Empty).Contains("protobuf", StringComparison.OrdinalIgnoreCase) ? KubernetesProtobuf.Decode(body)
            : JsonObjects.ParseObject(body, "DeleteOptions");
        var propagation = json.StringAt("propagationPolicy") ?? (query["propagationPolicy"].ToString() is { Length: > 0 } p ? p : null);
        var orphan = json["orphanDependents"] is JsonValue ov && ov.TryGetValue<bool>(out var o) ? o : query["orphanDependents"].ToString() == "true";
        if (propagation is null && orphan)
        {
            propagation = "Orphan";
        }

        var preconditions = json["preconditions"] as JsonObject;
        var dryRun = json["dryRun"] is JsonArray d && d.Any(x => x?.GetValue<string>() == "All") || query["dryRun"].ToString() == "All";
        return new DeleteOptions(propagation, preconditions.StringAt("uid"), preconditions.StringAt("resourceVersion"), dryRun);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext ctx, CancellationToken ct)
    {
        var body = await ReadBodyAsync(ctx, ct).ConfigureAwait(false);
        var contentType = ctx.Request.ContentType ?? Responses.Json;
        if (contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase))
        {
            var documents = YamlJson.ParseDocuments(Encoding.UTF8.GetString(body));
            return documents.Count == 1 ? documents[0] : throw ApiException.BadRequest("the request body must hold exactly one object");
        }

        if (contentType.Contains("protobuf", StringComparison.OrdinalIgnoreCase))
        {
            return KubernetesProtobuf.Decode(body);
        }

        return JsonObjects.ParseObject(body, "the request body");
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext ctx, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                throw new ApiException(413, "RequestEntityTooLarge", $"the request body is larger than {MaxBodyBytes} bytes");
            }
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception exception);
}
