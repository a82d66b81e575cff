namespace Serval.Bench.Worker;

/// <summary>One input tensor of a benchmark request, FP32 or INT64.</summary>
internal sealed record TensorInput(string Name, long[] Shape, float[]? Floats = null, long[]? Longs = null)
{
    public string Datatype => Floats is not null ? "FP32" : "INT64";

    public int ByteCount => Floats is not null ? Floats.Length * sizeof(float) : Longs!.Length * sizeof(long);
}
