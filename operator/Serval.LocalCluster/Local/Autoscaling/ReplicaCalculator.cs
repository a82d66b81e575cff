namespace Serval.LocalCluster.Local.Autoscaling;

/// <summary>
/// The HPA's replica formula, desired = ceil(current × usage / target), per metric kind, with the tolerance
/// band and kube-controller-manager's handling of pods without metrics (assumed at 100% of their request when
/// scaling down, 0% when scaling up) and of unready pods (assumed at 0% when scaling up). Pure.
/// </summary>
public static class ReplicaCalculator
{
    /// <summary>A Resource metric with an Utilization target (percent of the pods' requests).</summary>
    public static ReplicaProposal ForUtilization(int currentReplicas, IReadOnlyList<PodSample> pods, int targetUtilization, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(pods);
        if (targetUtilization <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targetUtilization), targetUtilization, "target utilization must be positive");
        }

        var measured = pods.Where(p => p.Ready && p.Usage is not null).ToList();
        var missing = pods.Where(p => p.Usage is null).ToList();
        var unready = pods.Where(p => !p.Ready && p.Usage is not null).ToList();
        if (measured.Count == 0 && missing.Count == 0 && unready.Count == 0)
        {
            throw new InvalidOperationException("no pods to measure");
        }

        var (ratio, utilization) = Ratio(measured, targetUtilization);
        var usage = measured.Count == 0 ? 0 : measured.Average(p => p.Usage!.Value);
        var scaleUpWithUnready = unready.Count > 0 && ratio > 1.0;
        if (measured.Count > 0 && !scaleUpWithUnready && missing.Count == 0)
        {
            if (Math.Abs(1.0 - ratio) <= tolerance)
            {
                return new ReplicaProposal(currentReplicas, usage, utilization);
            }

            return new ReplicaProposal((int)Math.Ceiling(ratio * measured.Count), usage, utilization);
        }

        // Fill the gaps pessimistically: they may only damp a change, never cause or reverse one.
        var filled = new List<PodSample>(measured);
        filled.AddRange(missing.Select(p => p with { Usage = ratio < 1.0 ? p.Request : 0, Ready = true }));
        if (scaleUpWithUnready)
        {
            filled.AddRange(unready.Select(p => p with { Usage = 0, Ready = true }));
        }

        var (newRatio, _) = Ratio(filled, targetUtilization);
        if (Math.Abs(1.0 - newRatio) <= tolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0) || measured.Count == 0)
        {
            return new ReplicaProposal(currentReplicas, usage, utilization);
        }

        var replicas = (int)Math.Ceiling(newRatio * filled.Count);
        if ((newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas))
        {
            return new ReplicaProposal(currentReplicas, usage, utilization);
        }

        return new ReplicaProposal(replicas, usage, utilization);
    }

    /// <summary>An External metric with a Value target: the total compared with the target, scaled over the ready pods.</summary>
    public static ReplicaProposal ForValue(int currentReplicas, int readyPods, double total, double target, double tolerance)
    {
        if (target <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, "target value must be positive");
        }

        var ratio = total / target;
        if (currentReplicas == 0)
        {
            return new ReplicaProposal((int)Math.Ceiling(ratio), total);
        }

        if (Math.Abs(1.0 - ratio) <= tolerance)
        {
            return new ReplicaProposal(currentReplicas, total);
        }

        return new ReplicaProposal((int)Math.Ceiling(ratio * readyPods), total);
    }

    /// <summary>An External metric with an AverageValue target: enough replicas that each carries at most the target.</summary>
    public static ReplicaProposal ForAverageValue(int currentReplicas, double total, double targetAverage, double tolerance)
    {
        if (targetAverage <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targetAverage), targetAverage, "target average value must be positive");
        }

        var perPod = currentReplicas > 0 ? total / currentReplicas : total;
        var ratio = currentReplicas > 0 ? total / (targetAverage * currentReplicas) : double.PositiveInfinity;
        if (currentReplicas > 0 && Math.Abs(1.0 - ratio) <= tolerance)
        {
            return new ReplicaProposal(currentReplicas, perPod);
        }

        return new ReplicaProposal((int)Math.Ceiling(total / targetAverage), perPod);
    }

    private static (double Ratio, int Utilization) Ratio(List<PodSample> pods, int target)
    {
        var requests = pods.Sum(p => p.Request);
        if (requests <= 0)
        {
            return (0, 0);
        }

        var utilization = pods.Sum(p => p.Usage!.Value) * 100.0 / requests;
        return (utilization / target, (int)utilization);
    }
}
