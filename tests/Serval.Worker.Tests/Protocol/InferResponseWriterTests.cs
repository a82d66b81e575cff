using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Serval.Worker.Protocol;
using Serval.Worker.Tensors;

namespace Serval.Worker.Tests.Protocol;

public sealed class InferResponseWriterTests
{
    private static string Write(string? id, params ResponseOutput[] outputs)
    {
        using var buffer = new PooledBufferWriter(16);
        InferResponseWriter.Write(buffer, "m", "1", id, outputs);
        return Encoding.UTF8.GetString(buffer.WrittenMemory.Span);
    }

    private static Tensor Floats(float[] values, params long[] shape)
    {
        var buffer = TensorBuffer.Numeric(values.Length * 4);
        MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(buffer.Bytes);
        return new Tensor("output0", TensorDatatype.Fp32, shape, buffer);
    }

    [Test]
    public void Write_SpecificationExample_MatchesTheDocumentedResponse()
    {
        using var tensor = Floats([1.0f, 1.1f, 2.0f, 2.1f, 3.0f, 3.1f], 3, 2);

        var json = Write("42", new ResponseOutput(tensor, false));

        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse("""
            {"model_name":"m","model_version":"1","id":"42",
             "outputs":[{"name":"output0","datatype":"FP32","shape":[3,2],"data":[1.0,1.1,2.0,2.1,3.0,3.1]}]}
            """)), Is.True, json);
    }

    [Test]
    public void Write_NoId_OmitsIt()
    {
        using var tensor = Floats([1], 1);

        Assert.That(JsonNode.Parse(Write(null, new ResponseOutput(tensor, false)))!.AsObject().ContainsKey("id"), Is.False);
    }

    [Test]
    public void Write_BinaryOutput_GivesItsSizeInsteadOfData()
    {
        using var tensor = Floats([1, 2, 3], 3);

        var output = JsonNode.Parse(Write(null, new ResponseOutput(tensor, true)))!["outputs"]![0]!.AsObject();

        Assert.That((output.ContainsKey("data"), (int)output["parameters"]!["binary_data_size"]!), Is.EqualTo((false, 12)));
    }

    [Test]
    public void Write_NonFiniteFloats_BecomeTheStringsTheParserAccepts()
    {
        using var tensor = Floats([float.NaN, float.PositiveInfinity, float.NegativeInfinity], 3);

        var data = JsonNode.Parse(Write(null, new ResponseOutput(tensor, false)))!["outputs"]![0]!["data"]!.AsArray();

        Assert.That(data.Select(v => (string)v!), Is.EqualTo(new[] { "NaN", "Infinity", "-Infinity" }));
    }
}
