namespace Serval.Controllers.Events;

/// <summary>How events are attributed and aggregated.</summary>
public sealed class EventRecorderOptions
{
    /// <summary>The controller named in each event (reportingController).</summary>
    public string ReportingController { get; set; } = "serval-operator";

    /// <summary>This replica (reportingInstance); the pod name is a good choice.</summary>
    public string ReportingInstance { get; set; } = Environment.MachineName;

    /// <summary>An identical event within this window increments the series of the earlier one.</summary>
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Distinct events remembered for aggregation; the least recent are forgotten first.</summary>
    public int MaxTracked { get; set; } = 4096;

    /// <summary>Throws with the option and value when one is unusable.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ReportingController) || ReportingController.Length > 128)
        {
            throw new ArgumentException(
                $"{nameof(EventRecorderOptions)}.{nameof(ReportingController)} must be 1..128 characters, got '{ReportingController}'.");
        }

        if (string.IsNullOrWhiteSpace(ReportingInstance) || ReportingInstance.Length > 128)
        {
            throw new ArgumentException(
                $"{nameof(EventRecorderOptions)}.{nameof(ReportingInstance)} must be 1..128 characters, got '{ReportingInstance}'.");
        }

        if (DedupWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(EventRecorderOptions)}.{nameof(DedupWindow)} must be positive, got {DedupWindow}.");
        }

        if (MaxTracked < 1)
        {
            throw new ArgumentException($"{nameof(EventRecorderOptions)}.{nameof(MaxTracked)} must be at least 1, got {MaxTracked}.");
        }
    }
}
