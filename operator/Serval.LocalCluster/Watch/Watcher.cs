using System.Threading.Channels;
using Serval.LocalCluster.Selectors;
using Serval.LocalCluster.Storage;

namespace Serval.LocalCluster.Watch;

/// <summary>
/// One open watch: which objects it wants and a bounded queue of events for it. A watcher that falls further behind
/// than the queue holds is closed (as kube-apiserver closes slow watchers); the client resumes from its last version.
/// </summary>
internal sealed class Watcher
{
    private readonly Channel<WatchEvent> _events;

    public Watcher(string? ns, LabelSelector labels, FieldSelector fields, int capacity)
    {
        Namespace = ns;
        Labels = labels;
        Fields = fields;
        _events = Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
    }

    public string? Namespace { get; }

    public LabelSelector Labels { get; }

    public FieldSelector Fields { get; }

    public ChannelReader<WatchEvent> Reader => _events.Reader;

    /// <summary>Whether the watch ended because its client could not keep up.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Queues the event if this watcher selects it, translating selection changes into ADDED or DELETED.</summary>
    public void Offer(WatchEvent e)
    {
        if (e.Type == WatchEventType.Bookmark)
        {
            Enqueue(e);
            return;
        }

        var now = Selects(e.Object!);
        var before = e.Previous is not null && e.Type == WatchEventType.Modified && Selects(e.Previous);
        var translated = (e.Type, now, before) switch
        {
            (WatchEventType.Modified, true, false) => e with { Type = WatchEventType.Added },
            (WatchEventType.Modified, false, true) => e with { Type = WatchEventType.Deleted },
            (WatchEventType.Modified, false, false) => null,
            (_, false, _) => null,
            _ => e,
        };
        if (translated is not null)
        {
            Enqueue(translated);
        }
    }

    public void Enqueue(WatchEvent e)
    {
        if (!_events.Writer.TryWrite(e))
        {
            Overflowed = true;
            _events.Writer.TryComplete();
        }
    }

    public void Close() => _events.Writer.TryComplete();

    public bool Selects(StoredObject obj)
    {
        if (Namespace is not null && obj.Namespace != Namespace)
        {
            return false;
        }

        if (!Labels.IsEverything && !Labels.Matches(obj.Labels))
        {
            return false;
        }

        return Fields.MatchesMetadataOnly(obj.Namespace, obj.Name) ?? Fields.Matches(obj.ToJson());
    }
}
