using Serval.Controllers.Kubernetes;

namespace Serval.Controllers.Reconciliation;

/// <summary>A controller of any kind, as the host runs it.</summary>
internal interface IController
{
    string Name { get; }

    ResourceKind Kind { get; }

    int QueueLength { get; }

    bool IsIdle { get; }

    /// <summary>
    /// Runs the workers for one leadership term. <paramref name="stop"/> ends the term gracefully
    /// (no new work; in-flight reconciles may finish within <paramref name="shutdownTimeout"/>);
    /// <paramref name="abort"/> also cancels in-flight reconciles.
    /// </summary>
    Task RunAsync(TimeSpan shutdownTimeout, CancellationToken stop, CancellationToken abort);
}
