using Serval.Controllers.Kubernetes;

namespace Serval.Controllers.Cache;

/// <summary>An informer of any kind, as the controller host runs it.</summary>
public interface IInformer
{
    ResourceKind Kind { get; }

    /// <summary>True once the first full list has been loaded into the cache.</summary>
    bool HasSynced { get; }

    /// <summary>Lists, then watches, until cancelled; recovers from every error on its own.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Completes when <see cref="HasSynced"/> becomes true.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
