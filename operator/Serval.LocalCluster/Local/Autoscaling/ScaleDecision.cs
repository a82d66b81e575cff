namespace Serval.LocalCluster.Local.Autoscaling;

/// <summary>
/// The replicas the HPA settles on after stabilisation, rate policies and min/max, with the reasons its
/// AbleToScale and ScalingLimited conditions report.
/// </summary>
public sealed record ScaleDecision(int Replicas, string AbleReason, string AbleMessage, string LimitReason, string LimitMessage)
{
    /// <summary>True when min/max or a rate policy held the replicas back.</summary>
    public bool Limited => LimitReason != ScaleNormalizer.DesiredWithinRange;
}
