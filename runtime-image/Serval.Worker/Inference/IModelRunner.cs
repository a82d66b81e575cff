using Serval.Worker.Tensors;

namespace Serval.Worker.Inference;

/// <summary>
/// One model call: the seam between the batcher and ONNX Runtime (tests drive the batcher with a
/// runner of their own).
/// </summary>
internal interface IModelRunner
{
    ModelSignature Signature { get; }

    /// <summary>
    /// Runs the model. <paramref name="inputs"/> are in signature order; the result holds the
    /// outputs at <paramref name="outputIndices"/>, in that order, and the caller owns it.
    /// </summary>
    /// <exception cref="ModelExecutionException">The runtime refused or failed the call.</exception>
    IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs, IReadOnlyList<int> outputIndices);
}
