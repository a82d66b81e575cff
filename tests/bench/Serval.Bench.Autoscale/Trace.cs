namespace Serval.Bench.Autoscale;

/// <summary>A load trace: arrivals per second at each whole second, for <see cref="Seconds"/> seconds.</summary>
/// <param name="Name">The trace's name in the output.</param>
/// <param name="Rates">Arrival rate per second (Poisson within each second).</param>
/// <param name="Description">How it is made.</param>
internal sealed record Trace(string Name, double[] Rates, string Description)
{
    public int Seconds => Rates.Length;

    /// <summary>The rate at <paramref name="t"/> seconds (the last one past the end).</summary>
    public double RateAt(double t) => Rates[Math.Clamp((int)t, 0, Rates.Length - 1)];

    /// <summary>The four traces, in units of one replica's capacity <paramref name="capacity"/> (requests per second).</summary>
    public static IReadOnlyList<Trace> All(double capacity, int seed) =>
    [
        Step("step-2x", capacity * 3, capacity * 6),
        Step("step-10x", capacity * 1, capacity * 10),
        Diurnal(capacity),
        Bursty(capacity, seed),
    ];

    private const int Length = 1200;

    private static Trace Step(string name, double low, double high)
    {
        var rates = new double[Length];
        for (var s = 0; s < Length; s++)
        {
            rates[s] = s is >= 300 and < 900 ? high : low;
        }

        return new Trace(name, rates, $"{low:0} rps, {high:0} rps from 300 s to 900 s, back to {low:0} rps");
    }

    private static Trace Diurnal(double capacity)
    {
        // A day pressed into 20 minutes: night at the ends, the peak in the middle, 1 to 7 replicas' worth.
        var rates = new double[Length];
        for (var s = 0; s < Length; s++)
        {
            rates[s] = capacity * (4 - (3 * Math.Cos(2 * Math.PI * s / Length)));
        }

        return new Trace("diurnal", rates, $"sine over 1200 s from {capacity:0} to {capacity * 7:0} rps and back");
    }

    /// <summary>
    /// Shaped like the Azure Functions 2019 per-minute invocation counts: each minute's rate is a slow base times
    /// log-normal noise that is correlated minute to minute (AR(1), φ 0.7, σ 0.35), and about one minute in twelve
    /// starts a burst of one to three minutes whose height is Pareto-distributed (α 1.5, ×2 to ×8). Within a minute
    /// arrivals are Poisson at that minute's rate, as the per-minute data cannot say more.
    /// </summary>
    private static Trace Bursty(double capacity, int seed)
    {
        var random = new Random(seed);
        var rates = new double[Length];
        double noise = 0, burst = 1;
        var burstLeft = 0;
        for (var minute = 0; minute < Length / 60; minute++)
        {
            noise = (0.7 * noise) + (0.35 * Math.Sqrt(1 - (0.7 * 0.7)) * Gaussian(random));
            if (burstLeft == 0 && random.NextDouble() < 1.0 / 12)
            {
                burstLeft = 1 + random.Next(3);
                burst = Math.Min(8, 2 * Math.Pow(1 - random.NextDouble(), -1 / 1.5));
            }

            var factor = Math.Exp(noise) * (burstLeft > 0 ? burst : 1);
            burstLeft = Math.Max(0, burstLeft - 1);
            for (var s = minute * 60; s < (minute + 1) * 60; s++)
            {
                rates[s] = capacity * 2 * factor;
            }
        }

        return new Trace("bursty", rates, $"per-minute rates around {capacity * 2:0} rps, AR(1) log-normal noise and Pareto bursts (seed {seed})");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
