namespace Serval.Bench.Autoscale;

/// <summary>What one replica can do, as measured from a real worker.</summary>
/// <param name="Model">The model measured.</param>
/// <param name="ServiceSeconds">Latency of a lone request (no queueing).</param>
/// <param name="Slots">Requests a replica serves at once: saturated throughput × service time (Little's law).</param>
/// <param name="SaturatedRps">Requests per second at saturation.</param>
/// <param name="ModelLoadSeconds">How long the worker took to load and warm the model.</param>
internal sealed record WorkerProfile(string Model, double ServiceSeconds, int Slots, double SaturatedRps, double ModelLoadSeconds)
{
    /// <summary>Requests per second one fully busy replica answers in the simulation.</summary>
    public double Capacity => Slots / ServiceSeconds;
}
