using Serval.Worker.Tensors;

namespace Serval.Worker.Protocol;

/// <summary>
/// A request checked against the model: inputs in signature order, the outputs to return (with
/// their binary flag), and its batch rows (-1 when it must run on its own).
/// </summary>
internal sealed record ValidatedRequest(IReadOnlyList<Tensor> Inputs, int[] OutputIndices, bool[] BinaryOutputs, long Rows);
