namespace Serval.SampleModels;

/// <summary>A shipped sample model: its file name (without .onnx), what it is, and how to build it.</summary>
/// <param name="Name">File stem under samples/models and samples/requests, and the served model name.</param>
/// <param name="Description">One line for the README.</param>
/// <param name="Weights">The weights whose forward pass the model's output equals.</param>
/// <param name="Build">Returns the serialised model.</param>
public sealed record SampleModel(string Name, string Description, Func<MlpWeights> Weights, Func<byte[]> Build);
