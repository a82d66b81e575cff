namespace Serval.Bench.Autoscale;

/// <summary>The simulated cluster.</summary>
/// <param name="Profile">What one replica can do.</param>
/// <param name="PodStartSeconds">From a scale-up to the new pod serving (scheduling, start, model load).</param>
/// <param name="SloSeconds">A request slower than this, or refused, violates the SLO.</param>
/// <param name="MaxQueuePerReplica">The worker's maxQueueLength: arrivals beyond it are refused (429).</param>
/// <param name="MinReplicas">The fewest replicas.</param>
/// <param name="MaxReplicas">The most replicas.</param>
/// <param name="Seed">Seed of the arrival process.</param>
internal sealed record SimSettings(
    WorkerProfile Profile,
    double PodStartSeconds,
    double SloSeconds,
    int MaxQueuePerReplica,
    int MinReplicas,
    int MaxReplicas,
    int Seed);
