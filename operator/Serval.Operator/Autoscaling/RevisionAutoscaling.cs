using Serval.Operator.Metrics;

namespace Serval.Operator.Autoscaling;

/// <summary>What the autoscaling loop keeps per revision between ticks. Owned by the loop alone.</summary>
internal sealed class RevisionAutoscaling(TimeSpan retention)
{
    public RevisionMetricsWindow Window { get; } = new(retention);

    public AutoscaleState State { get; set; } = AutoscaleState.Initial;

    public AutoscaleDecision? Last { get; set; }

    public WindowFigures? Figures { get; set; }
}
