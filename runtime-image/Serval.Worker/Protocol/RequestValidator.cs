using Serval.Worker.Inference;
using Serval.Worker.Tensors;

namespace Serval.Worker.Protocol;

/// <summary>Checks a parsed request against the model's signature; every refusal names the tensor and both sides.</summary>
internal static class RequestValidator
{
    public static ValidatedRequest Validate(InferRequest request, ModelSignature signature)
    {
        var inputs = request.Inputs;
        var ordered = new Tensor?[signature.Inputs.Count];
        foreach (var input in inputs)
        {
            var index = signature.InputIndex(input.Name);
            if (index < 0)
            {
                throw ProtocolException.BadRequest(
                    $"unknown input '{input.Name}'; the model's inputs are {Names(signature.Inputs)}");
            }

            if (ordered[index] is not null)
            {
                throw ProtocolException.BadRequest($"input '{input.Name}' is given more than once");
            }

            var spec = signature.Inputs[index];
            if (input.Datatype != spec.Datatype)
            {
                throw ProtocolException.BadRequest(
                    $"input '{input.Name}': expected datatype {spec.Datatype.Name()}, got {input.Datatype.Name()}");
            }

            if (!TensorShape.Fits(input.Shape, spec.Shape))
            {
                throw ProtocolException.BadRequest(
                    $"input '{input.Name}': expected shape {TensorShape.Format(spec.Shape)}, got {TensorShape.Format(input.Shape)}");
            }

            ordered[index] = input;
        }

        for (var i = 0; i < ordered.Length; i++)
        {
            if (ordered[i] is null)
            {
                throw ProtocolException.BadRequest(
                    $"missing input '{signature.Inputs[i].Name}' ({signature.Inputs[i].Datatype.Name()} {TensorShape.Format(signature.Inputs[i].Shape)})");
            }
        }

        // Keep the request's list (which owns the tensors) in signature order too.
        inputs.Clear();
        inputs.AddRange(ordered!);

        var (outputIndices, binary) = SelectOutputs(request, signature);
        return new ValidatedRequest(inputs, outputIndices, binary, BatchRows(inputs, signature));
    }

    private static (int[] Indices, bool[] Binary) SelectOutputs(InferRequest request, ModelSignature signature)
    {
        if (request.Outputs is null)
        {
            var all = Enumerable.Range(0, signature.Outputs.Count).ToArray();
            return (all, Enumerable.Repeat(request.BinaryDataOutput, all.Length).ToArray());
        }

        var indices = new int[request.Outputs.Count];
        var binary = new bool[request.Outputs.Count];
        for (var i = 0; i < request.Outputs.Count; i++)
        {
            var requested = request.Outputs[i];
            var index = signature.OutputIndex(requested.Name);
            if (index < 0)
            {
                throw ProtocolException.BadRequest(
                    $"unknown output '{requested.Name}'; the model's outputs are {Names(signature.Outputs)}");
            }

            if (Array.IndexOf(indices, index, 0, i) >= 0)
            {
                throw ProtocolException.BadRequest($"output '{requested.Name}' is requested more than once");
            }

            indices[i] = index;
            binary[i] = requested.BinaryData ?? request.BinaryDataOutput;
        }

        return (indices, binary);
    }

    /// <summary>Rows to stack along dimension 0, or -1 when the request cannot share a batch.</summary>
    private static long BatchRows(List<Tensor> inputs, ModelSignature signature)
    {
        if (!signature.HasDynamicBatch)
        {
            return -1;
        }

        var rows = inputs[0].Shape[0];
        foreach (var input in inputs)
        {
            if (input.Shape[0] != rows)
            {
                return -1;
            }
        }

        return rows;
    }

    private static string Names(IReadOnlyList<TensorSpec> specs) => string.Join(", ", specs.Select(s => $"'{s.Name}'"));
}
