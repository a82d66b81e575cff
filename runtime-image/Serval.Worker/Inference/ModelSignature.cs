using Serval.Worker.Tensors;

namespace Serval.Worker.Inference;

/// <summary>The inputs and outputs a model declares.</summary>
internal sealed record ModelSignature(IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs)
{
    /// <summary>
    /// Whether requests can be stacked along dimension 0: every input and output has a dynamic
    /// first dimension. A model with a fixed batch runs request by request.
    /// </summary>
    public bool HasDynamicBatch { get; } =
        Inputs.Count > 0
        && Inputs.All(s => s.Shape.Length > 0 && s.Shape[0] < 0)
        && Outputs.All(s => s.Shape.Length > 0 && s.Shape[0] < 0);

    public int InputIndex(string name)
    {
        for (var i = 0; i < Inputs.Count; i++)
        {
            if (Inputs[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    public int OutputIndex(string name)
    {
        for (var i = 0; i < Outputs.Count; i++)
        {
            if (Outputs[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}
