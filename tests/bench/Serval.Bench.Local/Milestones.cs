namespace Serval.Bench.Local;

/// <summary>Seconds from apply to each step of bringing an InferenceService up; NaN when a step was not seen.</summary>
internal sealed record Milestones(
    double Deployment,
    double Pod,
    double PodRunning,
    double PodReady,
    double ServiceReady,
    double FirstInference);
