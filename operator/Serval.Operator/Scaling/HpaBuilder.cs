using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Operator.Revisions;

namespace Serval.Operator.Scaling;

/// <summary>
/// The autoscaling/v2 HorizontalPodAutoscaler of one revision. <c>metric: Cpu</c> is a plain CPU utilization
/// target; every other metric is one External metric, <see cref="DesiredReplicasMetric"/>, selected by the
/// revision's labels with an AverageValue target of 1: the operator's external metrics API serves the revision's
/// desired replica count as its value, so the HPA's desired replicas equal it (value / 1 per pod).
/// </summary>
public static class HpaBuilder
{
    /// <summary>The External metric the operator serves per revision.</summary>
    public const string DesiredReplicasMetric = "serval-desired-replicas";

    public static V2HorizontalPodAutoscaler Build(Revision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var scaling = revision.Spec.Autoscaling;
        return new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = revision.ChildMetadata(),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = revision.Name },
                MinReplicas = scaling.MinReplicas,
                MaxReplicas = scaling.MaxReplicas,
                Metrics = [Metric(revision, scaling)],
                Behavior = new V2HorizontalPodAutoscalerBehavior
                {
                    // The operator's decision already waits out scaleDownDelaySeconds; the HPA waiting again on top would
                    // hold every scale-down for twice the delay. A CPU HPA decides alone and waits the delay itself.
                    ScaleDown = new V2HPAScalingRules
                    {
                        StabilizationWindowSeconds = scaling.Metric == AutoscalingMetric.Cpu ? scaling.ScaleDownDelaySeconds : 0,
                    },
                    // The operator's decision already limits its scale-up rate; the HPA's default (+100 % or +4 pods per
                    // 15 s) would hold a burst's panic decision back for minutes.
                    ScaleUp = scaling.Metric == AutoscalingMetric.Cpu ? null : new V2HPAScalingRules
                    {
                        StabilizationWindowSeconds = 0,
                        Policies = [new V2HPAScalingPolicy { Type = "Pods", Value = scaling.MaxReplicas, PeriodSeconds = 15 }],
                    },
                },
            },
        };
    }

    private static V2MetricSpec Metric(Revision revision, ResolvedAutoscaling scaling) => scaling.Metric == AutoscalingMetric.Cpu
        ? new V2MetricSpec
        {
            Type = "Resource",
            Resource = new V2ResourceMetricSource
            {
                Name = "cpu",
                Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = scaling.Target },
            },
        }
        : new V2MetricSpec
        {
            Type = "External",
            External = new V2ExternalMetricSource
            {
                Metric = new V2MetricIdentifier
                {
                    Name = DesiredReplicasMetric,
                    Selector = new V1LabelSelector { MatchLabels = revision.Labels() },
                },
                Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity("1") },
            },
        };
}
