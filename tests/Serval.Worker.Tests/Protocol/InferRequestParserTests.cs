using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Serval.Worker.Protocol;
using Serval.Worker.Tensors;

namespace Serval.Worker.Tests.Protocol;

public sealed class InferRequestParserTests
{
    private const long Limit = 1 << 20;

    private static InferRequest Parse(string json, byte[]? binary = null) =>
        InferRequestParser.Parse(Encoding.UTF8.GetBytes(json), binary ?? [], Limit);

    private static string ParseError(string json, byte[]? binary = null)
    {
        var error = Assert.Throws<ProtocolException>(() => Parse(json, binary).Dispose())!;
        Assert.That(error.StatusCode, Is.EqualTo(400));
        return error.Message;
    }

    private static T[] Values<T>(Tensor tensor)
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(tensor.Data.Bytes).ToArray();

    [Test]
    public void Parse_SpecificationExample_ReadsIdInputsAndOutputs()
    {
        // The inference request example of the Open Inference Protocol's REST specification,
        // with input1's data completed to match its shape.
        using var request = Parse("""
            {
              "id" : "42",
              "inputs" : [
                { "name" : "input0", "shape" : [ 2, 2 ], "datatype" : "UINT32", "data" : [ 1, 2, 3, 4 ] },
                { "name" : "input1", "shape" : [ 3 ], "datatype" : "BOOL", "data" : [ true, false, true ] }
              ],
              "outputs" : [ { "name" : "output0" } ]
            }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(request.Id, Is.EqualTo("42"));
            Assert.That(request.Inputs.Select(i => (i.Name, i.Datatype)), Is.EqualTo(new[] { ("input0", TensorDatatype.UInt32), ("input1", TensorDatatype.Bool) }));
            Assert.That(Values<uint>(request.Inputs[0]), Is.EqualTo(new uint[] { 1, 2, 3, 4 }));
            Assert.That(request.Inputs[1].Data.Bytes.ToArray(), Is.EqualTo(new byte[] { 1, 0, 1 }));
            Assert.That(request.Outputs!.Select(o => o.Name), Is.EqualTo(new[] { "output0" }));
        });
    }

    [Test]
    public void Parse_NestedData_EqualsFlatData()
    {
        using var nested = Parse("""{"inputs":[{"name":"x","shape":[2,2],"datatype":"INT32","data":[[1,2],[4,5]]}]}""");
        using var flat = Parse("""{"inputs":[{"name":"x","shape":[2,2],"datatype":"INT32","data":[1,2,4,5]}]}""");

        Assert.That(Values<int>(nested.Inputs[0]), Is.EqualTo(Values<int>(flat.Inputs[0])).And.EqualTo(new[] { 1, 2, 4, 5 }));
    }

    [Test]
    public void Parse_DataBeforeDatatypeAndShape_IsDecoded()
    {
        using var request = Parse("""{"inputs":[{"data":[1.5,2.5],"name":"x","datatype":"FP64","shape":[2]}]}""");

        Assert.That(Values<double>(request.Inputs[0]), Is.EqualTo(new[] { 1.5, 2.5 }));
    }

    [Test]
    public void Parse_NoIdAndNoOutputs_LeavesThemUnset()
    {
        using var request = Parse("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}""");

        Assert.That((request.Id, request.Outputs), Is.EqualTo(((string?)null, (IReadOnlyList<RequestedOutput>?)null)));
    }

    [Test]
    public void Parse_OutputParameters_ReadsBinaryFlags()
    {
        using var request = Parse("""
            {"parameters":{"binary_data_output":true},
             "inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],
             "outputs":[{"name":"a","parameters":{"binary_data":false}},{"name":"b"}]}
            """);

        Assert.That((request.BinaryDataOutput, request.Outputs![0].BinaryData, request.Outputs[1].BinaryData), Is.EqualTo((true, (bool?)false, (bool?)null)));
    }

    [TestCase("BOOL", "[true,false]", new byte[] { 1, 0 })]
    [TestCase("UINT8", "[0,255]", new byte[] { 0, 255 })]
    [TestCase("INT8", "[-128,127]", new byte[] { 128, 127 })]
    [TestCase("UINT16", "[0,65535]", new byte[] { 0, 0, 255, 255 })]
    [TestCase("INT16", "[-1,2]", new byte[] { 255, 255, 2, 0 })]
    [TestCase("UINT32", "[1,4294967295]", new byte[] { 1, 0, 0, 0, 255, 255, 255, 255 })]
    [TestCase("INT32", "[-2,3]", new byte[] { 254, 255, 255, 255, 3, 0, 0, 0 })]
    [TestCase("UINT64", "[18446744073709551615,0]", new byte[] { 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [TestCase("INT64", "[-1,1]", new byte[] { 255, 255, 255, 255, 255, 255, 255, 255, 1, 0, 0, 0, 0, 0, 0, 0 })]
    [TestCase("FP16", "[1.0,-2]", new byte[] { 0x00, 0x3C, 0x00, 0xC0 })]
    [TestCase("BF16", "[1.0,-2]", new byte[] { 0x80, 0x3F, 0x00, 0xC0 })]
    [TestCase("FP32", "[1.0,\"NaN\"]", new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0xC0, 0xFF })]
    [TestCase("FP64", "[1,\"-Infinity\"]", new byte[] { 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0xF0, 0xFF })]
    public void Parse_EveryNumericDatatype_StoresLittleEndianElements(string datatype, string data, byte[] expected)
    {
        using var request = Parse($$"""{"inputs":[{"name":"x","shape":[2],"datatype":"{{datatype}}","data":{{data}}}]}""");

        Assert.That(request.Inputs[0].Data.Bytes.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_BytesDatatype_ReadsStringsIncludingEscapes()
    {
        using var request = Parse("""{"inputs":[{"name":"s","shape":[3],"datatype":"BYTES","data":["abc","","line\nbreak \u00e9"]}]}""");
        var data = request.Inputs[0].Data;

        Assert.That(Enumerable.Range(0, data.StringCount).Select(i => Encoding.UTF8.GetString(data.String(i))), Is.EqualTo(new[] { "abc", "", "line\nbreak é" }));
    }

    [Test]
    public void Parse_BinaryInput_TakesItsBytesFromAfterTheJson()
    {
        var binary = new byte[16];
        new uint[] { 1, 2, 3, 4 }.AsSpan().CopyTo(MemoryMarshal.Cast<byte, uint>(binary.AsSpan()));

        using var request = Parse("""{"inputs":[{"name":"input0","shape":[2,2],"datatype":"UINT32","parameters":{"binary_data_size":16}}]}""", binary);

        Assert.That(Values<uint>(request.Inputs[0]), Is.EqualTo(new uint[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void Parse_BinaryBytesInput_ReadsLengthPrefixedElements()
    {
        var binary = new byte[4 + 2 + 4 + 0];
        BinaryPrimitives.WriteInt32LittleEndian(binary, 2);
        "hi"u8.CopyTo(binary.AsSpan(4));
        BinaryPrimitives.WriteInt32LittleEndian(binary.AsSpan(6), 0);

        using var request = Parse("""{"inputs":[{"name":"s","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":10}}]}""", binary);
        var data = request.Inputs[0].Data;

        Assert.That(Enumerable.Range(0, data.StringCount).Select(i => Encoding.UTF8.GetString(data.String(i))), Is.EqualTo(new[] { "hi", "" }));
    }

    [Test]
    public void Parse_DataCountDiffersFromShape_NamesTheInputAndBothCounts()
    {
        var error = ParseError("""{"inputs":[{"name":"x","shape":[2,3],"datatype":"FP32","data":[1,2,3,4,5]}]}""");

        Assert.That(error, Does.Contain("input 'x'").And.Contain("[2, 3]").And.Contain("needs 6").And.Contain("has 5"));
    }

    [Test]
    public void Parse_NestedDataNotMatchingShape_IsRefused()
    {
        var error = ParseError("""{"inputs":[{"name":"x","shape":[2,2],"datatype":"INT32","data":[[1,2,3],[4]]}]}""");

        Assert.That(error, Does.Contain("input 'x'").And.Contain("has 3 elements but shape [2, 2] says 2"));
    }

    [Test]
    public void Parse_StringWhereNumberBelongs_NamesTheElement()
    {
        var error = ParseError("""{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[1,"two"]}]}""");

        Assert.That(error, Does.Contain("input 'x': data element 1 is the string \"two\", expected a number"));
    }

    [Test]
    public void Parse_IntegerOutOfRange_NamesTheRange()
    {
        var error = ParseError("""{"inputs":[{"name":"x","shape":[1],"datatype":"UINT8","data":[256]}]}""");

        Assert.That(error, Does.Contain("the number 256, expected a whole number from 0 to 255 for UINT8"));
    }

    [Test]
    public void Parse_TensorOverTheElementLimit_IsRefusedBeforeAllocating()
    {
        var error = ParseError("""{"inputs":[{"name":"x","shape":[1048576,1048576],"datatype":"FP32","data":[]}]}""");

        Assert.That(error, Does.Contain("more than the 1048576 elements allowed"));
    }

    [Test]
    public void Parse_UnclaimedBinaryBytes_AreRefused()
    {
        var error = ParseError("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}""", [1, 2, 3]);

        Assert.That(error, Does.Contain("3 bytes that no input's 'binary_data_size' claims"));
    }
}
