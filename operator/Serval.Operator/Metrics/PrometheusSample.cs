namespace Serval.Operator.Metrics;

/// <summary>One line of a Prometheus text exposition: a series and its value.</summary>
/// <param name="Name">The sample name as written, e.g. <c>serval_inference_request_duration_seconds_bucket</c>.</param>
/// <param name="Labels">Label names to unescaped values.</param>
/// <param name="Value">The value; may be NaN or ±Infinity.</param>
/// <param name="TimestampMilliseconds">The optional timestamp, in milliseconds since the epoch.</param>
internal sealed record PrometheusSample(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    double Value,
    long? TimestampMilliseconds)
{
    /// <summary>The value of <paramref name="label"/>, or null when the sample does not carry it.</summary>
    public string? Label(string label) => Labels.TryGetValue(label, out var v) ? v : null;
}
