namespace Serval.Worker.Tensors;

/// <summary>A model input or output as the model declares it: -1 marks a dynamic dimension.</summary>
internal sealed record TensorSpec(string Name, TensorDatatype Datatype, long[] Shape);
