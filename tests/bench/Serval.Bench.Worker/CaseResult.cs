namespace Serval.Bench.Worker;

/// <summary>One measured case: a target under a closed loop, with what the table and the BENCH line say about it.</summary>
internal sealed record CaseResult(string Section, string Case, string Target, Measurement Measurement, string Notes = "")
{
    /// <summary>Further key=value pairs for the BENCH line (leading space included).</summary>
    public string Extra { get; init; } = string.Empty;
}
