using k8s.Models;

namespace Serval.LocalCluster.Local.Autoscaling;

/// <summary>
/// From a raw recommendation to the replicas to set, as kube-controller-manager does with spec.behavior:
/// stabilisation windows (the highest recommendation of the scale-down window, the lowest of the scale-up
/// window), then the rate policies (Pods or Percent per period, selectPolicy Max, Min or Disabled), then
/// min/max. Defaults: scale up by max(4 pods, 100%) per 15 s with no window; scale down by 100% per 15 s
/// after a 300 s window. Pure: the clock comes in as <c>now</c> and the memory as a <see cref="ScalingHistory"/>.
/// </summary>
public static class ScaleNormalizer
{
    public const string DesiredWithinRange = "DesiredWithinRange";

    /// <summary>Settles on the replicas for <paramref name="recommended"/> and records the recommendation.</summary>
    public static ScaleDecision Normalize(
        ScalingHistory history,
        V2HorizontalPodAutoscalerBehavior? behavior,
        int current,
        int recommended,
        int minReplicas,
        int maxReplicas,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(history);
        var up = ScaleUpRules(behavior?.ScaleUp);
        var down = ScaleDownRules(behavior?.ScaleDown);

        var upWindow = TimeSpan.FromSeconds(up.StabilizationWindowSeconds ?? 0);
        var downWindow = TimeSpan.FromSeconds(down.StabilizationWindowSeconds ?? 300);
        var upRecommendation = recommended;
        var downRecommendation = recommended;
        foreach (var (at, replicas) in history.Recommendations)
        {
            if (at > now - upWindow)
            {
                upRecommendation = Math.Min(upRecommendation, replicas);
            }

            if (at > now - downWindow)
            {
                downRecommendation = Math.Max(downRecommendation, replicas);
            }
        }

        var stabilized = current;
        if (stabilized < upRecommendation)
        {
            stabilized = upRecommendation;
        }

        if (stabilized > downRecommendation)
        {
            stabilized = downRecommendation;
        }

        history.Recommendations.Add((now, recommended));
        var longest = new[] { upWindow, downWindow }
            .Concat((up.Policies ?? []).Concat(down.Policies ?? []).Select(p => TimeSpan.FromSeconds(p.PeriodSeconds)))
            .Max();
        history.Trim(longest, now);

        string ableReason;
        string ableMessage;
        if (stabilized == recommended)
        {
            ableReason = "ReadyForNewScale";
            ableMessage = "recommended size matches current size";
        }
        else if (stabilized > recommended)
        {
            ableReason = "ScaleDownStabilized";
            ableMessage = "recent recommendations were higher than current one, applying the highest recent recommendation";
        }
        else
        {
            ableReason = "ScaleUpStabilized";
            ableMessage = "recent recommendations were lower than current one, applying the lowest recent recommendation";
        }

        var (replicasOut, limitReason, limitMessage) = LimitRate(history, up, down, current, stabilized, minReplicas, maxReplicas, now);
        return new ScaleDecision(replicasOut, ableReason, ableMessage, limitReason, limitMessage);
    }

    /// <summary>The scale-up rules with the defaults filled in.</summary>
    public static V2HPAScalingRules ScaleUpRules(V2HPAScalingRules? rules) => new()
    {
        StabilizationWindowSeconds = rules?.StabilizationWindowSeconds ?? 0,
        SelectPolicy = rules?.SelectPolicy ?? "Max",
        Policies = rules?.Policies is { Count: > 0 } policies
            ? policies
            : [new V2HPAScalingPolicy { Type = "Pods", PeriodSeconds = 15, Value = 4 }, new V2HPAScalingPolicy { Type = "Percent", PeriodSeconds = 15, Value = 100 }],
    };

    /// <summary>The scale-down rules with the defaults filled in.</summary>
    public static V2HPAScalingRules ScaleDownRules(V2HPAScalingRules? rules) => new()
    {
        StabilizationWindowSeconds = rules?.StabilizationWindowSeconds ?? 300,
        SelectPolicy = rules?.SelectPolicy ?? "Max",
        Policies = rules?.Policies is { Count: > 0 } policies ? policies : [new V2HPAScalingPolicy { Type = "Percent", PeriodSeconds = 15, Value = 100 }],
    };

    private static (int Replicas, string Reason, string Message) LimitRate(
        ScalingHistory history, V2HPAScalingRules up, V2HPAScalingRules down, int current, int desired, int min, int max, DateTimeOffset now)
    {
        if (desired > current)
        {
            var limit = Math.Max(current, ScaleUpLimit(history, up, current, now));
            var allowed = max;
            var reason = "TooManyReplicas";
            var message = "the desired replica count is more than the maximum replica count";
            if (allowed > limit)
            {
                allowed = limit;
                reason = "ScaleUpLimit";
                message = "the desired replica count is increasing faster than the maximum scale rate";
            }

            if (desired > allowed)
            {
                return (allowed, reason, message);
            }
        }
        else if (desired < current)
        {
            var limit = Math.Min(current, ScaleDownLimit(history, down, current, now));
            var allowed = min;
            var reason = "TooFewReplicas";
            var message = "the desired replica count is less than the minimum replica count";
            if (allowed < limit)
            {
                allowed = limit;
                reason = "ScaleDownLimit";
                message = "the desired replica count is decreasing faster than the maximum scale rate";
            }

            if (desired < allowed)
            {
                return (allowed, reason, message);
            }
        }

        return (desired, DesiredWithinRange, "the desired count is within the acceptable range");
    }

    private static int ScaleUpLimit(ScalingHistory history, V2HPAScalingRules rules, int current, DateTimeOffset now)
    {
        if (rules.SelectPolicy == "Disabled")
        {
            return current;
        }

        var useMin = rules.SelectPolicy == "Min";
        var result = useMin ? int.MaxValue : int.MinValue;
        foreach (var policy in rules.Policies ?? [])
        {
            var period = TimeSpan.FromSeconds(policy.PeriodSeconds);
            var start = current - ScalingHistory.ChangeWithin(history.ScaleUps, period, now) + ScalingHistory.ChangeWithin(history.ScaleDowns, period, now);
            var proposed = policy.Type == "Pods"
                ? start + policy.Value
                : (int)Math.Ceiling(start * (1 + (policy.Value / 100.0)));
            result = useMin ? Math.Min(result, proposed) : Math.Max(result, proposed);
        }

        return result;
    }

    private static int ScaleDownLimit(ScalingHistory history, V2HPAScalingRules rules, int current, DateTimeOffset now)
    {
        if (rules.SelectPolicy == "Disabled")
        {
            return current;
        }

        var useMin = rules.SelectPolicy == "Min";
        var result = useMin ? int.MinValue : int.MaxValue;
        foreach (var policy in rules.Policies ?? [])
        {
            var period = TimeSpan.FromSeconds(policy.PeriodSeconds);
            var start = current - ScalingHistory.ChangeWithin(history.ScaleUps, period, now) + ScalingHistory.ChangeWithin(history.ScaleDowns, period, now);
            var proposed = policy.Type == "Pods"
                ? start - policy.Value
                : (int)(start * (1 - (policy.Value / 100.0)));
            result = useMin ? Math.Max(result, proposed) : Math.Min(result, proposed);
        }

        return result;
    }
}
