using System.Runtime.InteropServices;
using Serval.Worker.Batching;
using Serval.Worker.Protocol;
using Serval.Worker.Tensors;

namespace Serval.Worker.Tests.Batching;

public sealed class BatchAssemblerTests
{
    private static Tensor Floats(string name, float[] values, params long[] shape)
    {
        var buffer = TensorBuffer.Numeric(values.Length * 4);
        MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(buffer.Bytes);
        return new Tensor(name, TensorDatatype.Fp32, shape, buffer);
    }

    private static Tensor Strings(string name, params string[] values)
    {
        var buffer = TensorBuffer.Strings(values.Length, 16);
        foreach (var value in values)
        {
            buffer.AppendString(System.Text.Encoding.UTF8.GetBytes(value));
        }

        return new Tensor(name, TensorDatatype.Bytes, [values.Length], buffer);
    }

    private static PendingInference Pending(params Tensor[] inputs)
    {
        var request = new InferRequest(null, [.. inputs], null, false);
        return new PendingInference(request, new ValidatedRequest(inputs, [0], [false], inputs[0].Shape[0]), 0, CancellationToken.None);
    }

    private static float[] FloatsOf(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.Data.Bytes).ToArray();

    [Test]
    public void Concatenate_StacksRowsInQueueOrder()
    {
        var batch = new[] { Pending(Floats("x", [1, 2], 1, 2)), Pending(Floats("x", [3, 4, 5, 6], 2, 2)) };

        var stacked = BatchAssembler.Concatenate(batch);

        Assert.That((stacked[0].Shape, FloatsOf(stacked[0])), Is.EqualTo((new long[] { 3, 2 }, new float[] { 1, 2, 3, 4, 5, 6 })));
    }

    [Test]
    public void Concatenate_StringInputs_KeepsEveryElement()
    {
        var batch = new[] { Pending(Strings("s", "a", "bc")), Pending(Strings("s", "", "déf")) };

        var stacked = BatchAssembler.Concatenate(batch)[0];
        var values = Enumerable.Range(0, stacked.Data.StringCount).Select(i => System.Text.Encoding.UTF8.GetString(stacked.Data.String(i)));

        Assert.That(values, Is.EqualTo(new[] { "a", "bc", "", "déf" }));
    }

    [Test]
    public void Split_GivesEachRequestItsOwnRows()
    {
        var output = Floats("y", [1, 2, 3, 4, 5, 6], 3, 2);

        var parts = BatchAssembler.Split(output, [1, 2]);

        Assert.Multiple(() =>
        {
            Assert.That((parts[0].Shape, FloatsOf(parts[0])), Is.EqualTo((new long[] { 1, 2 }, new float[] { 1, 2 })));
            Assert.That((parts[1].Shape, FloatsOf(parts[1])), Is.EqualTo((new long[] { 2, 2 }, new float[] { 3, 4, 5, 6 })));
        });
    }

    [Test]
    public void Split_OutputWithOtherRowCount_Throws()
    {
        var output = Floats("y", [1, 2], 1, 2);

        Assert.That(() => BatchAssembler.Split(output, [1, 1]), Throws.InvalidOperationException.With.Message.Contains("output 'y'"));
    }
}
