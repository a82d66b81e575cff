namespace Serval.Worker.Observability;

/// <summary>How an inference request ended; the <c>outcome</c> label of <c>serval_inference_requests_total</c>.</summary>
internal enum RequestOutcome
{
    /// <summary>Answered 200.</summary>
    Success,

    /// <summary>Refused as invalid (4xx other than 429): malformed, wrong shape or datatype, unknown model, unauthorised.</summary>
    ClientError,

    /// <summary>Failed on the server (5xx other than not-ready): a runtime fault or a request timeout.</summary>
    ServerError,

    /// <summary>Refused without work: queue full (429) or not ready (503).</summary>
    Rejected,

    /// <summary>The client went away before the answer.</summary>
    Cancelled,
}
