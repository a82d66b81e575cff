namespace Serval.Worker.Protocol;

/// <summary>An entry of the request's <c>outputs</c>: which output, and whether to send it as binary data.</summary>
internal sealed record RequestedOutput(string Name, bool? BinaryData);
