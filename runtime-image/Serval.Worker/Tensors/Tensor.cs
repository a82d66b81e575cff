namespace Serval.Worker.Tensors;

/// <summary>A named tensor with concrete shape whose elements live in <see cref="Data"/>; it owns the buffer.</summary>
internal sealed record Tensor(string Name, TensorDatatype Datatype, long[] Shape, TensorBuffer Data) : IDisposable
{
    /// <summary>Size of the first dimension, the batch rows for a batching model (1 for a scalar).</summary>
    public long Rows => Shape.Length == 0 ? 1 : Shape[0];

    public void Dispose() => Data.Dispose();
}
