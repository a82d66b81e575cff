using Microsoft.ML.OnnxRuntime;

namespace Serval.Bench.Worker;

/// <summary>
/// The limit: the same model in an ONNX Runtime session of this process, with the session options the
/// worker uses, called directly: input from a float array, output copied back to one.
/// </summary>
internal sealed class InProcessSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public InProcessSession(string modelPath)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(modelPath, options);
        _inputNames = [.. _session.InputNames];
        _outputNames = [_session.OutputNames[0]];
    }

    public float[] Run(float[] input, long[] shape)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var results = _session.Run(_runOptions, _inputNames, [value], _outputNames);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
