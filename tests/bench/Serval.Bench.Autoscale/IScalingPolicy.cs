namespace Serval.Bench.Autoscale;

/// <summary>An autoscaler under test: called every <see cref="PeriodSeconds"/>, it returns the replicas it wants.</summary>
internal interface IScalingPolicy
{
    string Name { get; }

    double PeriodSeconds { get; }

    int Decide(Simulation sim);
}
