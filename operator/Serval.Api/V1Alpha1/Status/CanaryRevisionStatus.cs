using System.Text.Json.Serialization;

namespace Serval.Api.V1Alpha1;

/// <summary>The new revision during a rollout, and how its rollout goes. The operator resumes a rollout from these fields after a restart.</summary>
public sealed class CanaryRevisionStatus
{
    /// <summary>The revision's name, <c>&lt;inferenceservice&gt;-&lt;hash&gt;</c>.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The model URI this revision serves.</summary>
    [JsonPropertyName("modelUri")]
    public string? ModelUri { get; set; }

    /// <summary>Pods of this revision.</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    /// <summary>Pods of this revision that are ready.</summary>
    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    /// <summary>This revision's share of traffic now, in percent.</summary>
    [JsonPropertyName("trafficPercent")]
    public int? TrafficPercent { get; set; }

    /// <summary>The current step, counted from 1 into <c>rollout.steps</c>; 0 before the first step.</summary>
    [JsonPropertyName("step")]
    public int? Step { get; set; }

    /// <summary>Progressing, Paused, Promoted, RolledBack or Failed.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>When the rollout started.</summary>
    [JsonPropertyName("startedAt")]
    public DateTime? StartedAt { get; set; }

    /// <summary>When the current step started.</summary>
    [JsonPropertyName("stepStartedAt")]
    public DateTime? StepStartedAt { get; set; }

    /// <summary>Failed checks in a row; the rollout is rolled back when this reaches <c>rollout.analysis.failureThreshold</c>.</summary>
    [JsonPropertyName("failedChecks")]
    public int? FailedChecks { get; set; }

    /// <summary>The latest analysis.</summary>
    [JsonPropertyName("lastAnalysis")]
    public AnalysisResult? LastAnalysis { get; set; }

    /// <summary>Why the rollout is where it is, for people.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
