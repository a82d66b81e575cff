using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Objects;
using Serval.LocalCluster.Storage;

namespace Serval.LocalCluster.Persistence;

/// <summary>
/// Keeps the objects in a state directory so local mode survives a restart: a snapshot file (one object per line),
/// rewritten atomically at most every persist interval after a change and once more at shutdown. A crash loses at
/// most that interval of changes; watches cannot resume across a restart (clients relist after 410).
/// </summary>
internal sealed partial class StateDirectory : IAsyncDisposable
{
    private const string FileName = "objects.jsonl";

    private readonly string _directory;
    private readonly ObjectService _objects;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private long _changes;
    private long _saved;
    private Task _loop = Task.CompletedTask;

    public StateDirectory(string directory, ObjectService objects, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _directory = directory;
        _objects = objects;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    public string FilePath => Path.Combine(_directory, FileName);

    public void MarkDirty() => Interlocked.Increment(ref _changes);

    /// <summary>Restores saved objects (definitions first, so their resources are served); answers how many.</summary>
    public int Load(Action<StoredObject> restored)
    {
        Directory.CreateDirectory(_directory);
        if (!File.Exists(FilePath))
        {
            return 0;
        }

        var entries = new List<(string GroupResource, JsonObject Object)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(FilePath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var entry = JsonNode.Parse(line) as JsonObject
                ?? throw new InvalidDataException($"{FilePath}:{lineNumber}: each line must be a JSON object");
            entries.Add((entry.StringAt("resource") ?? throw new InvalidDataException($"{FilePath}:{lineNumber}: missing \"resource\""),
                entry["object"] as JsonObject ?? throw new InvalidDataException($"{FilePath}:{lineNumber}: missing \"object\"")));
        }

        var maxVersion = 0L;
        foreach (var (groupResource, obj) in entries.OrderBy(e => e.GroupResource == "customresourcedefinitions.apiextensions.k8s.io" ? 0 : 1))
        {
            var metadata = obj.Metadata();
            var rv = long.Parse(metadata.StringAt("resourceVersion") ?? "0", CultureInfo.InvariantCulture);
            maxVersion = Math.Max(maxVersion, rv);
            var stored = new StoredObject(groupResource, metadata.StringAt("namespace"), metadata.StringAt("name") ?? string.Empty, rv,
                obj.ToUtf8(), ObjectFacts.Of(obj));
            _objects.Store.For(groupResource).Restore(stored);
            if (groupResource == "customresourcedefinitions.apiextensions.k8s.io")
            {
                _objects.SyncDefinition(stored, deleted: false);
            }

            restored(stored);
        }

        _objects.Store.Clock.AdvanceTo(maxVersion);
        _saved = Interlocked.Read(ref _changes);
        return entries.Count;
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public void Save()
    {
        var changes = Interlocked.Read(ref _changes);
        var temp = FilePath + ".tmp";
        using (var writer = new StreamWriter(temp, false, new UTF8Encoding(false)))
        {
            foreach (var store in _objects.Store.All.ToList())
            {
                foreach (var item in store.List(null).Items)
                {
                    writer.Write("{\"resource\":\"");
                    writer.Write(store.GroupResource);
                    writer.Write("\",\"object\":");
                    writer.Write(Encoding.UTF8.GetString(item.Json));
                    writer.WriteLine("}");
                }
            }
        }

        File.Move(temp, FilePath, overwrite: true);
        _saved = changes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point of disposing.
        }

        Save();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            if (Interlocked.Read(ref _changes) == _saved)
            {
                continue;
            }

            try
            {
                Save();
            }
            catch (IOException e)
            {
                LogSaveFailed(_logger, FilePath, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not save the local cluster's objects to {Path}: {Reason}")]
    private static partial void LogSaveFailed(ILogger logger, string path, string reason);
}
