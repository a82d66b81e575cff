using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Operator.Workloads;

namespace Serval.Operator.Status;

/// <summary>
/// Reads why pods are not ready from what the kubelet and scheduler report: the worker exiting at start-up
/// (model download or load failed, whose message the worker writes as its termination message), image pulls
/// that fail, and pods the scheduler cannot place (e.g. "0/3 nodes are available: 3 Insufficient nvidia.com/gpu").
/// </summary>
public static class PodDiagnosis
{
    /// <summary>The first problem among <paramref name="pods"/>, most telling first; null when none is visible.</summary>
    public static PodProblem? Diagnose(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        PodProblem? best = null;
        var bestRank = int.MaxValue;
        foreach (var pod in pods)
        {
            if (pod.Metadata?.DeletionTimestamp is not null)
            {
                continue;
            }

            foreach (var (rank, problem) in Problems(pod))
            {
                if (rank < bestRank)
                {
                    best = problem;
                    bestRank = rank;
                }
            }
        }

        return best;
    }

    private static IEnumerable<(int Rank, PodProblem Problem)> Problems(V1Pod pod)
    {
        var worker = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == WorkerContainer.Name);
        if (worker is not null)
        {
            var terminated = worker.State?.Terminated ?? worker.LastState?.Terminated;
            if (terminated is { ExitCode: not 0 })
            {
                var message = string.IsNullOrWhiteSpace(terminated.Message)
                    ? $"the worker exited with code {terminated.ExitCode} ({terminated.Reason ?? "Error"})"
                    : terminated.Message.Trim();
                var reason = message.Contains("sha256", StringComparison.OrdinalIgnoreCase) || message.Contains("checksum", StringComparison.OrdinalIgnoreCase)
                    ? ConditionReasons.ModelChecksumMismatch
                    : ConditionReasons.ModelUnavailable;
                yield return (0, new PodProblem(reason, $"pod {pod.Metadata?.Name}: {message}"));
            }

            if (worker.State?.Waiting is { Reason: "ImagePullBackOff" or "ErrImagePull" or "InvalidImageName" or "ErrImageNeverPull" } waiting)
            {
                yield return (1, new PodProblem(
                    ConditionReasons.ReplicasUnavailable,
                    $"pod {pod.Metadata?.Name}: cannot pull image {worker.Image}: {waiting.Message ?? waiting.Reason}"));
            }
        }

        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (scheduled is { Status: "False", Reason: "Unschedulable" })
        {
            yield return (2, new PodProblem(ConditionReasons.Unschedulable, $"pod {pod.Metadata?.Name}: {scheduled.Message ?? "cannot be scheduled"}"));
        }
    }
}
