using System.Buffers;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Serval.Controllers.Serialization;

namespace Serval.Controllers.Kubernetes;

/// <summary>
/// <see cref="IKubernetesApi"/> over KubernetesClient. The only class that holds the raw client:
/// every kind goes through the generic custom-object operations, which also serve the core
/// group (<c>/api/v1</c>), so one code path covers built-ins and custom resources.
/// </summary>
public sealed partial class KubernetesApi : IKubernetesApi, IDisposable
{
    private readonly k8s.Kubernetes _client;
    private readonly string _fieldManager;

    public KubernetesApi(KubernetesClientConfiguration configuration, KubernetesApiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        options ??= new KubernetesApiOptions();
        options.Validate();
        _fieldManager = options.FieldManager;
        _client = new k8s.Kubernetes(configuration);
        _client.HttpClient.DefaultRequestHeaders.Remove("User-Agent");
        _client.HttpClient.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.UserAgent);
    }

    public string FieldManager => _fieldManager;

    public Task<ResourcePage<T>> ListAsync<T>(string? ns, ListOptions options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(options);
        var kind = ResourceKind.Of<T>();
        return CallAsync("list", kind, ns, null, async () =>
        {
            var response = ns is null
                ? await _client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<KubernetesList<T>>(
                    kind.Group, kind.Version, kind.Plural,
                    allowWatchBookmarks: null, continueParameter: options.Continue, fieldSelector: options.FieldSelector,
                    labelSelector: options.LabelSelector, limit: options.Limit, resourceVersion: NullIfEmpty(options.ResourceVersion),
                    resourceVersionMatch: null, timeoutSeconds: null, watch: null, pretty: null,
                    customHeaders: null, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await _client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<KubernetesList<T>>(
                    kind.Group, kind.Version, ns, kind.Plural,
                    allowWatchBookmarks: null, continueParameter: options.Continue, fieldSelector: options.FieldSelector,
                    labelSelector: options.LabelSelector, limit: options.Limit, resourceVersion: NullIfEmpty(options.ResourceVersion),
                    resourceVersionMatch: null, timeoutSeconds: null, watch: null, pretty: null,
                    customHeaders: null, cancellationToken: cancellationToken).ConfigureAwait(false);
            using (response)
            {
                var list = response.Body;
                var items = list.Items?.Where(i => i is not null).ToList() ?? [];
                foreach (var item in items)
                {
                    FillKind(item, kind);
                }

                var continueToken = list.Metadata?.ContinueProperty;
                return new ResourcePage<T>(
                    items,
                    list.Metadata?.ResourceVersion ?? string.Empty,
                    string.IsNullOrEmpty(continueToken) ? null : continueToken);
            }
        });
    }

    public Task<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var kind = ResourceKind.Of<T>();
        return CallAsync<T?>("get", kind, ns, name, async () =>
        {
            try
            {
                using var response = ns is null
                    ? await _client.CustomObjects.GetClusterCustomObjectWithHttpMessagesAsync<T>(
                        kind.Group, kind.Version, kind.Plural, name, customHeaders: null, cancellationToken).ConfigureAwait(false)
                    : await _client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<T>(
                        kind.Group, kind.Version, ns, kind.Plural, name, customHeaders: null, cancellationToken).ConfigureAwait(false);
                return FillKind(response.Body, kind);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }
        });
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (kind, ns, name) = Describe(obj);
        FillKind(obj, kind);
        return CallAsync("create", kind, ns, name, async () =>
        {
            using var response = ns is null
                ? await _client.CustomObjects.CreateClusterCustomObjectWithHttpMessagesAsync<T>(
                    obj, kind.Group, kind.Version, kind.Plural,
                    dryRun: null, fieldManager: _fieldManager, fieldValidation: null, pretty: null,
                    customHeaders: null, cancellationToken).ConfigureAwait(false)
                : await _client.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync<T>(
                    obj, kind.Group, kind.Version, ns, kind.Plural,
                    dryRun: null, fieldManager: _fieldManager, fieldValidation: null, pretty: null,
                    customHeaders: null, cancellationToken).ConfigureAwait(false);
            return FillKind(response.Body, kind);
        });
    }

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (kind, ns, name) = Describe(obj);
        FillKind(obj, kind);
        RequireName(name, kind, "replace");
        return CallAsync("replace", kind, ns, name, async () =>
        {
            using var response = ns is null
                ? await _client.CustomObjects.ReplaceClusterCustomObjectWithHttpMessagesAsync<T>(
                    obj, kind.Group, kind.Version, kind.Plural, name!,
                    dryRun: null, fieldManager: _fieldManager, fieldValidation: null,
                    customHeaders: null, cancellationToken).ConfigureAwait(false)
                : await _client.CustomObjects.ReplaceNamespacedCustomObjectWithHttpMessagesAsync<T>(
                    obj, kind.Group, kind.Version, ns, kind.Plural, name!,
                    dryRun: null, fieldManager: _fieldManager, fieldValidation: null,
                    customHeaders: null, cancellationToken).ConfigureAwait(false);
            return FillKind(response.Body, kind);
        });
    }

    public Task<T> ApplyAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (kind, ns, name) = Describe(obj);
        RequireName(name, kind, "apply");
        var body = ApplyBody(obj, kind);
        return PatchCoreAsync<T>("apply", kind, ns, name!, new V1Patch(body, V1Patch.PatchType.ApplyPatch), force: true, status: false, cancellationToken);
    }

    public Task<T> ApplyStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (kind, ns, name) = Describe(obj);
        RequireName(name, kind, "apply status of");
        var body = StatusApplyBody(obj, kind, ns, name!);
        return PatchCoreAsync<T>("apply status", kind, ns, name!, new V1Patch(body, V1Patch.PatchType.ApplyPatch), force: true, status: true, cancellationToken);
    }

    public Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (kind, ns, name) = Describe(obj);
        FillKind(obj, kind);
        RequireName(name, kind, "update status of");
        return CallAsync("update status", kind, ns, name, async () =>
        {
            using var response = ns is null
                ? await _client.CustomObjects.ReplaceClusterCustomObjectStatusWithHttpMessagesAsync<T>(
                    obj, kind.Group, kind.Version, kind.Plural, name!,
                    dryRun: null, fieldManager: _fieldManager, fieldValidation: null,
                    customHeaders: null, cancellationToken).ConfigureAwait(false)
                : await _client.CustomObjects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<T>(
                    obj, kind.Group, kind.Version, ns, kind.Plural, name!,
                    dryRun: null, fieldManager: _fieldManager, fieldValidation: null,
                    customHeaders: null, cancellationToken).ConfigureAwait(false);
            return FillKind(response.Body, kind);
        });
    }

    public Task<T> PatchAsync<T>(string? ns, string name, V1Patch patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(patch);
        return PatchCoreAsync<T>("patch", ResourceKind.Of<T>(), ns, name, patch, force: null, status: false, cancellationToken);
    }

    public Task ScaleAsync<T>(string ns, string name, int from, int to, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(to);
        var kind = ResourceKind.Of<T>();
        var body = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"[{{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":{from}}},{{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":{to}}}]");
        return CallAsync("scale", kind, ns, name, async () =>
        {
            using var response = await _client.CustomObjects.PatchNamespacedCustomObjectScaleWithHttpMessagesAsync(
                new V1Patch(body, V1Patch.PatchType.JsonPatch), kind.Group, kind.Version, ns, kind.Plural, name,
                dryRun: null, fieldManager: _fieldManager, fieldValidation: null, force: null,
                customHeaders: null, cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    public Task<bool> DeleteAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var kind = ResourceKind.Of<T>();
        return CallAsync("delete", kind, ns, name, async () =>
        {
            try
            {
                using var response = ns is null
                    ? await _client.CustomObjects.DeleteClusterCustomObjectWithHttpMessagesAsync(
                        kind.Group, kind.Version, kind.Plural, name,
                        body: null, gracePeriodSeconds: null, orphanDependents: null, propagationPolicy: "Background", dryRun: null,
                        customHeaders: null, cancellationToken).ConfigureAwait(false)
                    : await _client.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync(
                        kind.Group, kind.Version, ns, kind.Plural, name,
                        body: null, gracePeriodSeconds: null, orphanDependents: null, propagationPolicy: "Background", dryRun: null,
                        customHeaders: null, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return false;
            }
        });
    }

    public ILock CreateLeaseLock(string ns, string name, string identity)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(identity);
        return new LeaseLock(_client, ns, name, identity);
    }

    public void Dispose() => _client.Dispose();

    private Task<T> PatchCoreAsync<T>(
        string verb, ResourceKind kind, string? ns, string name, V1Patch patch, bool? force, bool status, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        return CallAsync(verb, kind, ns, name, async () =>
        {
            HttpOperationResponse<T> response;
            if (status)
            {
                response = ns is null
                    ? await _client.CustomObjects.PatchClusterCustomObjectStatusWithHttpMessagesAsync<T>(
                        patch, kind.Group, kind.Version, kind.Plural, name,
                        dryRun: null, fieldManager: _fieldManager, fieldValidation: null, force: force,
                        customHeaders: null, cancellationToken).ConfigureAwait(false)
                    : await _client.CustomObjects.PatchNamespacedCustomObjectStatusWithHttpMessagesAsync<T>(
                        patch, kind.Group, kind.Version, ns, kind.Plural, name,
                        dryRun: null, fieldManager: _fieldManager, fieldValidation: null, force: force,
                        customHeaders: null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                response = ns is null
                    ? await _client.CustomObjects.PatchClusterCustomObjectWithHttpMessagesAsync<T>(
                        patch, kind.Group, kind.Version, kind.Plural, name,
                        dryRun: null, fieldManager: _fieldManager, fieldValidation: null, force: force,
                        customHeaders: null, cancellationToken).ConfigureAwait(false)
                    : await _client.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<T>(
                        patch, kind.Group, kind.Version, ns, kind.Plural, name,
                        dryRun: null, fieldManager: _fieldManager, fieldValidation: null, force: force,
                        customHeaders: null, cancellationToken).ConfigureAwait(false);
            }

            using (response)
            {
                return FillKind(response.Body, kind);
            }
        });
    }

    private static async Task<TResult> CallAsync<TResult>(
        string verb, ResourceKind kind, string? ns, string? name, Func<Task<TResult>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw Translate(e, verb, kind, ns, name);
        }
    }

    internal static KubernetesApiException Translate(HttpOperationException e, string verb, ResourceKind kind, string? ns, string? name)
    {
        var content = e.Response?.Content;
        V1Status? status = null;
        if (!string.IsNullOrWhiteSpace(content))
        {
            try
            {
                status = KubernetesJson.Deserialize<V1Status>(content);
            }
            catch (JsonException)
            {
                // The body is not a Status (a proxy's HTML page, say): keep it as text in the message.
            }
        }

        var code = e.Response?.StatusCode ?? System.Net.HttpStatusCode.InternalServerError;
        var target = name is null ? (ns is null ? kind.Resource : $"{kind.Resource} in namespace {ns}") : $"{kind.Resource} {Key(ns, name)}";
        var detail = status?.Message ?? content ?? e.Message;
        return new KubernetesApiException(
            $"{verb} {target} failed: {(int)code} {status?.Reason ?? code.ToString()}: {detail}", code, status, e);
    }

    private static (ResourceKind Kind, string? Namespace, string? Name) Describe<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var kind = ResourceKind.Of<T>();
        return (kind, NullIfEmpty(obj.Metadata?.NamespaceProperty), NullIfEmpty(obj.Metadata?.Name));
    }

    private static void RequireName(string? name, ResourceKind kind, string verb)
    {
        if (name is null)
        {
            throw new ArgumentException($"Cannot {verb} a {kind.Kind} without metadata.name.", nameof(name));
        }
    }

    private static T FillKind<T>(T obj, ResourceKind kind)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        // Items of a list arrive without apiVersion and kind; owner references and apply need them.
        if (string.IsNullOrEmpty(obj.ApiVersion))
        {
            obj.ApiVersion = kind.ApiVersion;
        }

        if (string.IsNullOrEmpty(obj.Kind))
        {
            obj.Kind = kind.Kind;
        }

        return obj;
    }

    /// <summary>The object as an apply body: its own apiVersion and kind, and no managedFields (the server refuses those).</summary>
    private static string ApplyBody<T>(T obj, ResourceKind kind)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var document = JsonSerializer.SerializeToDocument(obj, obj.GetType(), KubernetesSerialization.Options);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion"u8, kind.ApiVersion);
            writer.WriteString("kind"u8, kind.Kind);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("apiVersion"u8) || property.NameEquals("kind"u8))
                {
                    continue;
                }

                if (property.NameEquals("metadata"u8) && property.Value.ValueKind == JsonValueKind.Object)
                {
                    writer.WriteStartObject("metadata"u8);
                    foreach (var field in property.Value.EnumerateObject())
                    {
                        if (!field.NameEquals("managedFields"u8))
                        {
                            field.WriteTo(writer);
                        }
                    }

                    writer.WriteEndObject();
                    continue;
                }

                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>An apply body of the status subresource: apiVersion, kind, name, namespace and status only.</summary>
    private static string StatusApplyBody<T>(T obj, ResourceKind kind, string? ns, string name)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var document = JsonSerializer.SerializeToDocument(obj, obj.GetType(), KubernetesSerialization.Options);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion"u8, kind.ApiVersion);
            writer.WriteString("kind"u8, kind.Kind);
            writer.WriteStartObject("metadata"u8);
            writer.WriteString("name"u8, name);
            if (ns is not null)
            {
                writer.WriteString("namespace"u8, ns);
            }

            writer.WriteEndObject();
            if (document.RootElement.TryGetProperty("status"u8, out var status) && status.ValueKind != JsonValueKind.Null)
            {
                writer.WritePropertyName("status"u8);
                status.WriteTo(writer);
            }

            writer.WriteEndObject();
        });
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
