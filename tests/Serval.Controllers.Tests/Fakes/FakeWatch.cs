using System.Threading.Channels;
using Serval.Controllers.Kubernetes;

namespace Serval.Controllers.Tests.Fakes;

/// <summary>One watch opened against <see cref="FakeKubernetesApi"/>: the test plays the server.</summary>
internal sealed class FakeWatch
{
    private readonly Channel<object> _events = Channel.CreateUnbounded<object>();

    public FakeWatch(Type kind, string? ns, WatchOptions options)
    {
        Kind = kind;
        Namespace = ns;
        Options = options;
    }

    public Type Kind { get; }

    public string? Namespace { get; }

    public WatchOptions Options { get; }

    public ChannelReader<object> Reader => _events.Reader;

    public void Send<T>(WatchEvent<T> change)
        where T : class => _events.Writer.TryWrite(change);

    /// <summary>The server closes the watch normally.</summary>
    public void Close() => _events.Writer.TryComplete();

    /// <summary>The connection breaks.</summary>
    public void Fail(Exception error) => _events.Writer.TryComplete(error);
}
