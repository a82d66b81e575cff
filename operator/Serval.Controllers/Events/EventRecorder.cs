using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Controllers.Kubernetes;

namespace Serval.Controllers.Events;

/// <summary>
/// Records events.k8s.io/v1 Events about objects. A repeat of the same event (same object,
/// type, reason, action and note) within the dedup window increments the first event's series
/// instead of creating another Event. Recording is best effort: failures are logged, not thrown.
/// </summary>
public sealed class EventRecorder
{
    private const int MaxNoteLength = 1024;

    private readonly Lock _gate = new();
    private readonly IKubernetesApi _api;
    private readonly EventRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<EventKey, Tracked> _tracked = [];
    private long _sequence;

    public EventRecorder(IKubernetesApi api, EventRecorderOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        _options = options ?? new EventRecorderOptions();
        _options.Validate();
        _api = api;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public Task NormalAsync(IKubernetesObject<V1ObjectMeta> regarding, string reason, string action, string note, CancellationToken cancellationToken) =>
        RecordAsync(regarding, EventType.Normal, reason, action, note, cancellationToken);

    public Task WarningAsync(IKubernetesObject<V1ObjectMeta> regarding, string reason, string action, string note, CancellationToken cancellationToken) =>
        RecordAsync(regarding, EventType.Warning, reason, action, note, cancellationToken);

    /// <summary>Records one occurrence of an event about <paramref name="regarding"/>.</summary>
    /// <param name="regarding">The object the event is about.</param>
    /// <param name="type">Normal or Warning.</param>
    /// <param name="reason">Why, in CamelCase (e.g. <c>RolloutStarted</c>).</param>
    /// <param name="action">What was done, in CamelCase (e.g. <c>Scale</c>).</param>
    /// <param name="note">A human-readable sentence (cut at 1 kB).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task RecordAsync(
        IKubernetesObject<V1ObjectMeta> regarding, EventType type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        RequireWord(reason, nameof(reason));
        RequireWord(action, nameof(action));
        note ??= string.Empty;
        if (note.Length > MaxNoteLength)
        {
            note = note[..MaxNoteLength];
        }

        var reference = Reference(regarding);
        var ns = string.IsNullOrEmpty(reference.NamespaceProperty) ? "default" : reference.NamespaceProperty;
        var key = new EventKey(ns, reference.Uid ?? $"{reference.Kind}/{reference.Name}", type, reason, action, note);
        var now = _time.GetUtcNow();

        Tracked tracked;
        int count;
        lock (_gate)
        {
            if (_tracked.TryGetValue(key, out var existing) && now - existing.LastObserved < _options.DedupWindow)
            {
                existing.Count++;
                existing.LastObserved = now;
                tracked = existing;
                count = existing.Count;
            }
            else
            {
                tracked = new Tracked(NewName(reference.Name, now), now);
                _tracked[key] = tracked;
                count = 1;
                ForgetOldLocked(now);
            }
        }

        try
        {
            if (count > 1)
            {
                try
                {
                    await _api.PatchAsync<Eventsv1Event>(ns, tracked.Name, SeriesPatch(count, now), cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (KubernetesApiException e) when (e.IsNotFound)
                {
                    // The Event expired on the server: start a new one.
                    tracked = new Tracked(NewName(reference.Name, now), now);
                    lock (_gate)
                    {
                        _tracked[key] = tracked;
                    }
                }
            }

            await _api.CreateAsync(
                new Eventsv1Event
                {
                    ApiVersion = "events.k8s.io/v1",
                    Kind = "Event",
                    Metadata = new V1ObjectMeta { Name = tracked.Name, NamespaceProperty = ns },
                    EventTime = now.UtcDateTime,
                    Type = type.ToString(),
                    Reason = reason,
                    Action = action,
                    Note = note,
                    Regarding = reference,
                    ReportingController = _options.ReportingController,
                    ReportingInstance = _options.ReportingInstance,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            EventRecorderLog.Failed(_logger, e, reason, reference.Kind, ns, reference.Name);
        }
    }

    private static V1ObjectReference Reference(IKubernetesObject<V1ObjectMeta> obj)
    {
        var kind = ResourceKind.Of(obj.GetType());
        var name = obj.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"An event needs an object with metadata.name; this {kind.Kind} has none.", nameof(obj));
        }

        return new V1ObjectReference
        {
            ApiVersion = string.IsNullOrEmpty(obj.ApiVersion) ? kind.ApiVersion : obj.ApiVersion,
            Kind = string.IsNullOrEmpty(obj.Kind) ? kind.Kind : obj.Kind,
            Name = name,
            NamespaceProperty = obj.Metadata!.NamespaceProperty,
            Uid = obj.Metadata.Uid,
            ResourceVersion = obj.Metadata.ResourceVersion,
        };
    }

    private static V1Patch SeriesPatch(int count, DateTimeOffset now)
    {
        var body = new JsonObject
        {
            ["series"] = new JsonObject
            {
                ["count"] = count,
                ["lastObservedTime"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            },
        };
        return new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch);
    }

    private static void RequireWord(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 128 || value.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"An event's {field} must be one word of 1..128 characters, got '{value}'.", field);
        }
    }

    private string NewName(string regardingName, DateTimeOffset now)
    {
        // Like Kubernetes: the object's name and a unique hex suffix (time, then a sequence).
        var suffix = ((now.ToUnixTimeMilliseconds() * 1000) + (Interlocked.Increment(ref _sequence) % 1000)).ToString("x", CultureInfo.InvariantCulture);
        var prefix = regardingName.Length > 230 ? regardingName[..230] : regardingName;
        return $"{prefix}.{suffix}";
    }

    private void ForgetOldLocked(DateTimeOffset now)
    {
        if (_tracked.Count <= _options.MaxTracked)
        {
            return;
        }

        foreach (var stale in _tracked.Where(t => now - t.Value.LastObserved >= _options.DedupWindow).Select(t => t.Key).ToList())
        {
            _tracked.Remove(stale);
        }

        while (_tracked.Count > _options.MaxTracked)
        {
            _tracked.Remove(_tracked.MinBy(t => t.Value.LastObserved).Key);
        }
    }

    private sealed record EventKey(string Namespace, string Regarding, EventType Type, string Reason, string Action, string Note);

    private sealed class Tracked(string name, DateTimeOffset observed)
    {
        public string Name { get; } = name;

        public int Count { get; set; } = 1;

        public DateTimeOffset LastObserved { get; set; } = observed;
    }
}
