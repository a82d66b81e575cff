using Serval.Api.V1Alpha1;

namespace Serval.Operator.Rollout;

/// <summary>
/// <c>strategy: Immediate</c>: the new revision starts beside the stable one with no traffic and takes all of it
/// as soon as it is ready; the old revision serves until then and is removed after.
/// </summary>
public sealed class ImmediateRollout : IRolloutStrategy
{
    public RolloutDecision Decide(RolloutContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = Revisions.Revision.NameOf(context.Service.Metadata.Name, context.DesiredRevision);
        if (context.DesiredObservation is { Ready: true })
        {
            return RolloutDecision.Promoted(new RolloutRecord
            {
                Revision = name,
                Outcome = nameof(RolloutOutcome.Promoted),
                Message = "the new revision is ready and took all traffic",
                Time = RolloutPlanner.StatusTime(context.Now),
            });
        }

        var canary = RolloutPlanner.NewCanary(context);
        canary.Phase = nameof(CanaryPhase.Progressing);
        canary.TrafficPercent = 0;
        canary.Step = 0;
        canary.Message = "waiting for the new revision to become ready";
        return RolloutDecision.Continue(canary);
    }
}
