namespace Serval.Worker.Protocol;

/// <summary>A request the protocol cannot serve; the message goes to the client as <c>{"error": …}</c>.</summary>
internal sealed class ProtocolException : Exception
{
    public ProtocolException(int statusCode, string message)
        : base(message) => StatusCode = statusCode;

    public ProtocolException()
    {
    }

    public ProtocolException(string message)
        : base(message) => StatusCode = 400;

    public ProtocolException(string message, Exception innerException)
        : base(message, innerException) => StatusCode = 400;

    /// <summary>HTTP status to answer with.</summary>
    public int StatusCode { get; } = 400;

    public static ProtocolException BadRequest(string message) => new(400, message);
}
