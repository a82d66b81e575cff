using k8s.Models;

namespace Serval.LocalCluster.Local.Processes;

/// <summary>What a pod's container is doing, as its status reports it: waiting, running or terminated.</summary>
public sealed record ContainerState
{
    public string? WaitingReason { get; init; }

    public string? WaitingMessage { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public int? ExitCode { get; init; }

    public string? TerminatedReason { get; init; }

    public string? TerminatedMessage { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public bool IsRunning => StartedAt is not null && ExitCode is null;

    public static ContainerState Waiting(string reason, string? message = null) => new() { WaitingReason = reason, WaitingMessage = message };

    public static ContainerState Running(DateTimeOffset startedAt) => new() { StartedAt = startedAt };

    /// <summary>The container ended: reason Completed for exit 0, Error otherwise (as the kubelet reports).</summary>
    public static ContainerState Terminated(int exitCode, string? message, DateTimeOffset? startedAt, DateTimeOffset finishedAt) => new()
    {
        ExitCode = exitCode,
        TerminatedReason = exitCode == 0 ? "Completed" : "Error",
        TerminatedMessage = string.IsNullOrEmpty(message) ? null : message,
        StartedAt = startedAt,
        FinishedAt = finishedAt,
    };

    /// <summary>The Kubernetes form.</summary>
    public V1ContainerState ToV1()
    {
        if (ExitCode is { } code)
        {
            return new V1ContainerState
            {
                Terminated = new V1ContainerStateTerminated
                {
                    ExitCode = code,
                    Reason = TerminatedReason,
                    Message = TerminatedMessage,
                    StartedAt = StartedAt?.UtcDateTime,
                    FinishedAt = FinishedAt?.UtcDateTime,
                },
            };
        }

        if (StartedAt is { } started)
        {
            return new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = started.UtcDateTime } };
        }

        return new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = WaitingReason, Message = WaitingMessage } };
    }
}
