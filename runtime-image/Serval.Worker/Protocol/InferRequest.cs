using Serval.Worker.Tensors;

namespace Serval.Worker.Protocol;

/// <summary>A parsed inference request; it owns its input tensors until it hands them on.</summary>
internal sealed class InferRequest(string? id, List<Tensor> inputs, IReadOnlyList<RequestedOutput>? outputs, bool binaryDataOutput)
    : IDisposable
{
    public string? Id { get; } = id;

    /// <summary>Inputs in request order (model order once validated).</summary>
    public List<Tensor> Inputs { get; } = inputs;

    /// <summary>The requested outputs, or null for all of them.</summary>
    public IReadOnlyList<RequestedOutput>? Outputs { get; } = outputs;

    /// <summary>The request-level <c>binary_data_output</c> parameter.</summary>
    public bool BinaryDataOutput { get; } = binaryDataOutput;

    public void Dispose()
    {
        foreach (var input in Inputs)
        {
            input.Dispose();
        }

        Inputs.Clear();
    }
}
