using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Serval.SampleModels;
using Serval.Worker.Tests.Support;

namespace Serval.Worker.Tests.Http;

/// <summary>Every V2 datatype through an identity model, as JSON and as binary tensor data.</summary>
public sealed class DatatypeRoundTripTests
{
    /// <summary>Per datatype: JSON data (including extremes) and the little-endian bytes of the same values.</summary>
    private static readonly Dictionary<string, (string Json, byte[] Bytes)> Samples = new()
    {
        ["BOOL"] = ("[true,false,true,true]", [1, 0, 1, 1]),
        ["UINT8"] = ("[0,1,128,255]", [0, 1, 128, 255]),
        ["UINT16"] = ("[0,1,256,65535]", Bytes<ushort>(0, 1, 256, 65535)),
        ["UINT32"] = ("[0,1,65536,4294967295]", Bytes<uint>(0, 1, 65536, 4294967295)),
        ["UINT64"] = ("[0,1,4294967296,18446744073709551615]", Bytes<ulong>(0, 1, 4294967296, 18446744073709551615)),
        ["INT8"] = ("[-128,-1,0,127]", Bytes<sbyte>(-128, -1, 0, 127)),
        ["INT16"] = ("[-32768,-1,0,32767]", Bytes<short>(-32768, -1, 0, 32767)),
        ["INT32"] = ("[-2147483648,-1,0,2147483647]", Bytes<int>(-2147483648, -1, 0, 2147483647)),
        ["INT64"] = ("[-9223372036854775808,-1,0,9223372036854775807]", Bytes<long>(long.MinValue, -1, 0, long.MaxValue)),
        ["FP16"] = ("[-2,0.5,1.5,65504]", Bytes((Half)(-2), (Half)0.5, (Half)1.5, (Half)65504)),
        ["BF16"] = ("[-2,0.5,1.5,256]", Bytes<ushort>(0xC000, 0x3F00, 0x3FC0, 0x4380)),
        ["FP32"] = ("[-2.5,0.1,3.4028235E+38,1E-45]", Bytes(-2.5f, 0.1f, float.MaxValue, float.Epsilon)),
        ["FP64"] = ("[-2.5,0.1,1.7976931348623157E+308,5E-324]", Bytes(-2.5, 0.1, double.MaxValue, double.Epsilon)),
        ["BYTES"] = ("[\"a\",\"\",\"é\\u00e9\",\"tab\\t\"]", Strings("a", "", "éé", "tab\t")),
    };

    private static IEnumerable<string> Datatypes => ProtocolModels.Datatypes;

    private static byte[] Bytes<T>(params T[] values)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static byte[] Strings(params string[] values)
    {
        var bytes = new List<byte>();
        foreach (var value in values)
        {
            var utf8 = Encoding.UTF8.GetBytes(value);
            var length = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
            bytes.AddRange(length);
            bytes.AddRange(utf8);
        }

        return [.. bytes];
    }

    [Test]
    public void Samples_CoverEveryDatatype()
    {
        Assert.That(Samples.Keys, Is.EquivalentTo(ProtocolModels.Datatypes));
    }

    [TestCaseSource(nameof(Datatypes))]
    public async Task JsonRoundTrip_ReturnsTheSameValues(string datatype)
    {
        await using var worker = await TestWorker.StartAsync(ProtocolModels.Identity(datatype, -1), "identity");
        var (json, _) = Samples[datatype];

        var body = await worker.InferJsonAsync(
            "{\"id\":\"t\",\"inputs\":[{\"name\":\"input\",\"shape\":[4],\"datatype\":\"" + datatype + "\",\"data\":" + json + "}]}");
        var output = body["outputs"]![0]!;

        Assert.That(((string?)output["datatype"], output["shape"]!.ToJsonString(), output["data"]!.ToJsonString()),
            Is.EqualTo((datatype, "[4]", JsonNode.Parse(json)!.ToJsonString())));
    }

    [TestCaseSource(nameof(Datatypes))]
    public async Task BinaryRoundTrip_ReturnsTheSameBytes(string datatype)
    {
        await using var worker = await TestWorker.StartAsync(ProtocolModels.Identity(datatype, -1), "identity");
        var (_, bytes) = Samples[datatype];
        var header = $$$"""
            {"inputs":[{"name":"input","shape":[4],"datatype":"{{{datatype}}}","parameters":{"binary_data_size":{{{bytes.Length}}}}}],
             "outputs":[{"name":"output","parameters":{"binary_data":true}}]}
            """;

        using var response = await worker.InferBinaryAsync(header, bytes);
        var (json, binary) = await BinaryResponse.ReadAsync(response);
        var output = json["outputs"]![0]!;

        Assert.Multiple(() =>
        {
            Assert.That((int?)output["parameters"]!["binary_data_size"], Is.EqualTo(bytes.Length));
            Assert.That(output.AsObject().ContainsKey("data"), Is.False);
            Assert.That(binary, Is.EqualTo(bytes));
        });
    }
}
