using Serval.Worker.Tensors;

namespace Serval.Worker.Protocol;

/// <summary>An output to send: the tensor, and whether it goes as binary data after the JSON.</summary>
internal readonly record struct ResponseOutput(Tensor Tensor, bool Binary);
