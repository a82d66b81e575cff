namespace Serval.Operator.Autoscaling;

/// <summary>How the autoscaling loop scrapes and reports.</summary>
internal sealed class AutoscalingOptions
{
    /// <summary>How often every ready worker is read and every revision decided.</summary>
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one pod may take to answer before it counts as missing.</summary>
    public TimeSpan ScrapeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Pods read at once.</summary>
    public int MaxConcurrentScrapes { get; set; } = 32;

    /// <summary>How often unchanged decisions still refresh status.metrics (each refresh is a status write).</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The long window the steady decision averages over (Knative's stable window).</summary>
    public TimeSpan StableWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The short window that detects bursts (Knative's panic window).</summary>
    public TimeSpan PanicWindow { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Whether a decision that differs from a revision's Deployment is set at once through its scale subresource, as
    /// Knative's KPA does, instead of waiting for the HPA's next sync (15 s by default in a cluster). The HPA reads the
    /// same decision, so it agrees and changes nothing; it still acts when a direct write fails.
    /// </summary>
    public bool ScaleDirectly { get; set; } = true;

    /// <summary>For tests: the handler scrapes go through.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Throws naming the option and value when one is unusable.</summary>
    public void Validate()
    {
        if (ScrapeInterval < TimeSpan.FromMilliseconds(100) || ScrapeInterval > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"scrape interval must be 100 ms to 60 s, got {ScrapeInterval.TotalSeconds} s");
        }

        if (ScrapeTimeout <= TimeSpan.Zero || ScrapeTimeout > ScrapeInterval)
        {
            throw new ArgumentException($"scrape timeout must be positive and at most the interval ({ScrapeInterval.TotalSeconds} s), got {ScrapeTimeout.TotalSeconds} s");
        }

        if (StableWindow < TimeSpan.FromSeconds(6) || StableWindow > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"stable window must be 6 s to 1 h, got {StableWindow.TotalSeconds} s");
        }

        if (PanicWindow < ScrapeInterval || PanicWindow > StableWindow)
        {
            throw new ArgumentException(
                $"panic window must be from the scrape interval ({ScrapeInterval.TotalSeconds} s) to the stable window ({StableWindow.TotalSeconds} s), got {PanicWindow.TotalSeconds} s");
        }

        if (MaxConcurrentScrapes is < 1 or > 1024)
        {
            throw new ArgumentException($"max concurrent scrapes must be 1..1024, got {MaxConcurrentScrapes}");
        }
    }
}
