using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Serval.Worker.Tests.Support;

/// <summary>Runs a model straight through ONNX Runtime: the reference the worker's answers are compared with.</summary>
internal static class DirectSession
{
    public static float[] RunFloat(byte[] model, string inputName, float[] input, long[] shape, string outputName)
    {
        using var session = new InferenceSession(model);
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var results = session.Run(new RunOptions(), [inputName], [value], [outputName]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public static Dictionary<string, float[]> RunMultiInputOutput(byte[] model, float[] a, long[] b, long[] shape)
    {
        using var session = new InferenceSession(model);
        using var aValue = OrtValue.CreateTensorValueFromMemory(a, shape);
        using var bValue = OrtValue.CreateTensorValueFromMemory(b, shape);
        using var results = session.Run(new RunOptions(), ["a", "b"], [aValue, bValue], ["sum", "product"]);
        return new Dictionary<string, float[]>
        {
            ["sum"] = results[0].GetTensorDataAsSpan<float>().ToArray(),
            ["product"] = results[1].GetTensorDataAsSpan<float>().ToArray(),
        };
    }

    public static TensorElementType ElementType(byte[] model, string output)
    {
        using var session = new InferenceSession(model);
        return session.OutputMetadata[output].ElementDataType;
    }
}
