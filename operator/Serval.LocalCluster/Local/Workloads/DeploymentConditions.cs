using k8s.Models;

namespace Serval.LocalCluster.Local.Workloads;

/// <summary>The Deployment condition types and reasons the Deployment controller reports.</summary>
public static class DeploymentConditions
{
    public const string Available = "Available";
    public const string Progressing = "Progressing";

    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";
    public const string MinimumReplicasUnavailable = "MinimumReplicasUnavailable";
    public const string NewReplicaSetCreated = "NewReplicaSetCreated";
    public const string ReplicaSetUpdated = "ReplicaSetUpdated";
    public const string NewReplicaSetAvailable = "NewReplicaSetAvailable";
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";
    public const string DeploymentPaused = "DeploymentPaused";

    /// <summary>
    /// <paramref name="conditions"/> with <paramref name="type"/> set: lastTransitionTime kept unless the status
    /// flips, lastUpdateTime moved when reason or message change or <paramref name="progressed"/>.
    /// </summary>
    public static void Set(
        IList<V1DeploymentCondition> conditions, string type, string status, string reason, string message, DateTime now, bool progressed = false)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            conditions.Add(new V1DeploymentCondition
            {
                Type = type, Status = status, Reason = reason, Message = message, LastTransitionTime = now, LastUpdateTime = now,
            });
            return;
        }

        var flipped = existing.Status != status;
        var updated = flipped || existing.Reason != reason || existing.Message != message || progressed;
        existing.LastTransitionTime = flipped ? now : existing.LastTransitionTime ?? now;
        existing.LastUpdateTime = updated ? now : existing.LastUpdateTime ?? now;
        existing.Status = status;
        existing.Reason = reason;
        existing.Message = message;
    }
}
