namespace Serval.Worker.Http;

/// <summary>Per-request limits the endpoints enforce.</summary>
internal sealed record EndpointLimits(long MaxRequestBytes, long MaxTensorElements, TimeSpan RequestTimeout, int MaxQueueLength);
