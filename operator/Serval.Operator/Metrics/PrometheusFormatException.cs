namespace Serval.Operator.Metrics;

/// <summary>The text is not in the Prometheus exposition format; the message names the line and what is wrong.</summary>
public sealed class PrometheusFormatException : FormatException
{
    public PrometheusFormatException()
    {
    }

    public PrometheusFormatException(string message)
        : base(message)
    {
    }

    public PrometheusFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for line <paramref name="lineNumber"/> (1-based).</summary>
    internal static PrometheusFormatException AtLine(int lineNumber, string what, string line) =>
        new($"line {lineNumber}: {what}: '{Shorten(line)}'");

    private static string Shorten(string line) => line.Length <= 120 ? line : string.Concat(line.AsSpan(0, 117), "...");
}
