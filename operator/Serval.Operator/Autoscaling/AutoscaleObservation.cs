namespace Serval.Operator.Autoscaling;

/// <summary>What the decision sees of one revision at one tick.</summary>
/// <param name="Stable">Figures over the stable window, or null when no pod reported.</param>
/// <param name="Panic">Figures over the panic window, or null when no pod reported.</param>
/// <param name="CurrentReplicas">Replicas asked for now (ready plus starting).</param>
/// <param name="ReadyReplicas">Replicas serving now.</param>
/// <param name="MissingPods">Ready pods whose metrics could not be read at the last scrape.</param>
internal sealed record AutoscaleObservation(
    WindowFigures? Stable,
    WindowFigures? Panic,
    int CurrentReplicas,
    int ReadyReplicas,
    int MissingPods = 0)
{
    /// <summary>
    /// Figures over the last scrape interval alone, or null. A step in load shows there in full while the panic window
    /// still averages it with the calm before; the decision reads it only while the replicas are saturated.
    /// </summary>
    public WindowFigures? Latest { get; init; }
}
