namespace Serval.Api.V1Alpha1;

/// <summary>The reasons conditions carry: one CamelCase word each, stable for tools to match on.</summary>
public static class ConditionReasons
{
    /// <summary>All is as intended.</summary>
    public const string AsExpected = "AsExpected";

    /// <summary>The operator is creating or updating the children and has not seen the result yet.</summary>
    public const string Reconciling = "Reconciling";

    /// <summary>The spec passed the API server but cannot be served (for example a missing ConfigMap key); the message names the field.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>The workers cannot fetch or load the model.</summary>
    public const string ModelUnavailable = "ModelUnavailable";

    /// <summary>The model file's SHA-256 differs from <c>spec.model.sha256</c>.</summary>
    public const string ModelChecksumMismatch = "ModelChecksumMismatch";

    /// <summary>Fewer ready replicas than minReplicas.</summary>
    public const string ReplicasUnavailable = "ReplicasUnavailable";

    /// <summary>Pods cannot be scheduled (for example no node with the requested GPU).</summary>
    public const string Unschedulable = "Unschedulable";

    /// <summary>A rollout is moving traffic to a new revision.</summary>
    public const string RolloutProgressing = "RolloutProgressing";

    /// <summary>Traffic is pinned by <c>rollout.canaryTrafficPercent</c>.</summary>
    public const string RolloutPaused = "RolloutPaused";

    /// <summary>The new revision was promoted.</summary>
    public const string Promoted = "Promoted";

    /// <summary>A canary analysis failed failureThreshold times in a row; traffic went back to the stable revision.</summary>
    public const string AnalysisFailed = "AnalysisFailed";

    /// <summary>The canary was rolled back on request, by <c>rollout.canaryTrafficPercent: 0</c>.</summary>
    public const string ManualRollback = "ManualRollback";

    /// <summary>The new revision answered the smoke-test requests differently from the stable one.</summary>
    public const string SmokeTestFailed = "SmokeTestFailed";

    /// <summary>The new revision was not ready, or a step made no progress, within progressDeadlineSeconds.</summary>
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";

    /// <summary>The Gateway in traffic.gatewayRef does not exist.</summary>
    public const string GatewayNotFound = "GatewayNotFound";

    /// <summary>The Gateway did not accept the HTTPRoute; the message carries the Gateway's reason.</summary>
    public const string RouteNotAccepted = "RouteNotAccepted";

    /// <summary>The top-level Service has no ready endpoints.</summary>
    public const string NoEndpoints = "NoEndpoints";
}
