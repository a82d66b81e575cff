using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Serval.SampleModels;
using Serval.Worker.Tests.Support;

namespace Serval.Worker.Tests.Http;

public sealed class OutputsAndBatchingTests
{
    private const string MultiRequest = """
        {"inputs":[{"name":"a","shape":[2,3],"datatype":"FP32","data":[1.5,2,3,4,5,6]},
                   {"name":"b","shape":[2,3],"datatype":"INT64","data":[1,2,3,-1,0,10]}]
        """;

    private static float[] Floats(JsonNode? data) => data!.AsArray().Select(v => (float)v!).ToArray();

    private static IEnumerable<string> SampleNames => SampleModels.SampleModels.Catalog.Select(m => m.Name);

    [TestCaseSource(nameof(SampleNames))]
    public async Task SampleModel_AnswersExactlyLikeADirectSessionCall(string name)
    {
        var model = SampleModels.SampleModels.Catalog.Single(m => m.Name == name).Build();
        await using var worker = await TestWorker.StartAsync(model, name);
        var expected = DirectSession.RunFloat(model, "input", SampleRequests.Input(), [SampleRequests.Rows, 16], "output");

        var body = await worker.InferJsonAsync(SampleRequests.Json(name));

        Assert.That(Floats(body["outputs"]![0]!["data"]), Is.EqualTo(expected));
    }

    [Test]
    public async Task OutputsFilter_ReturnsOnlyTheRequestedOutputsInTheirOrder()
    {
        await using var worker = await TestWorker.StartAsync(ProtocolModels.MultiInputOutput(), "multi");

        var body = await worker.InferJsonAsync(MultiRequest + ""","outputs":[{"name":"product"},{"name":"b_copy"}]}""");

        Assert.That(body["outputs"]!.AsArray().Select(o => (string?)o!["name"]), Is.EqualTo(new[] { "product", "b_copy" }));
    }

    [Test]
    public async Task NoOutputsFilter_ReturnsEveryOutputEqualToADirectSessionCall()
    {
        await using var worker = await TestWorker.StartAsync(ProtocolModels.MultiInputOutput(), "multi");
        var direct = DirectSession.RunMultiInputOutput(ProtocolModels.MultiInputOutput(), [1.5f, 2, 3, 4, 5, 6], [1, 2, 3, -1, 0, 10], [2, 3]);

        var outputs = (await worker.InferJsonAsync(MultiRequest + "}"))["outputs"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That(outputs.Select(o => (string?)o!["name"]), Is.EqualTo(new[] { "sum", "product", "b_copy" }));
            Assert.That(Floats(outputs[0]!["data"]), Is.EqualTo(direct["sum"]));
            Assert.That(Floats(outputs[1]!["data"]), Is.EqualTo(direct["product"]));
            Assert.That(outputs[2]!["data"]!.ToJsonString(), Is.EqualTo("[1,2,3,-1,0,10]"));
        });
    }

    [Test]
    public async Task UnknownRequestedOutput_Answers400ListingTheOutputs()
    {
        await using var worker = await TestWorker.StartAsync(ProtocolModels.MultiInputOutput(), "multi");

        using var response = await worker.InferAsync(MultiRequest + ""","outputs":[{"name":"difference"}]}""");
        var error = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"];

        Assert.That((response.StatusCode, error), Is.EqualTo((HttpStatusCode.BadRequest, "unknown output 'difference'; the model's outputs are 'sum', 'product', 'b_copy'")));
    }

    [Test]
    public async Task BinaryDataOutput_SendsEveryOutputAfterTheJsonInOrder()
    {
        await using var worker = await TestWorker.StartAsync(ProtocolModels.MultiInputOutput(), "multi");

        using var response = await worker.InferAsync(MultiRequest + ""","parameters":{"binary_data_output":true},"outputs":[{"name":"sum"},{"name":"b_copy"}]}""");
        var (json, binary) = await BinaryResponse.ReadAsync(response);
        var sizes = json["outputs"]!.AsArray().Select(o => (int)o!["parameters"]!["binary_data_size"]!).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(sizes, Is.EqualTo(new[] { 24, 48 }));
            Assert.That(MemoryMarshal.Cast<byte, float>(binary.AsSpan(0, 24)).ToArray(), Is.EqualTo(new float[] { 2.5f, 4, 6, 3, 5, 16 }));
            Assert.That(MemoryMarshal.Cast<byte, long>(binary.AsSpan(24)).ToArray(), Is.EqualTo(new long[] { 1, 2, 3, -1, 0, 10 }));
        });
    }

    [Test]
    public async Task PerOutputBinaryFlag_MixesJsonAndBinaryOutputs()
    {
        await using var worker = await TestWorker.StartAsync(ProtocolModels.MultiInputOutput(), "multi");

        using var response = await worker.InferAsync(MultiRequest + ""","outputs":[{"name":"sum","parameters":{"binary_data":true}},{"name":"product"}]}""");
        var (json, binary) = await BinaryResponse.ReadAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(MemoryMarshal.Cast<byte, float>(binary).ToArray(), Is.EqualTo(new float[] { 2.5f, 4, 6, 3, 5, 16 }));
            Assert.That(Floats(json["outputs"]![1]!["data"]), Is.EqualTo(new float[] { 1.5f, 4, 9, -4, 0, 60 }));
        });
    }

    [Test]
    public async Task FixedBatchModel_AcceptsItsBatchAndRefusesAnother()
    {
        await using var worker = await TestWorker.StartAsync(SampleModels.SampleModels.MlpFixedBatch(), "fixed");
        var row = string.Join(",", SampleRequests.Input().Take(16));

        using var one = await worker.InferAsync($$"""{"inputs":[{"name":"input","shape":[1,16],"datatype":"FP32","data":[{{row}}]}]}""");
        using var two = await worker.InferAsync($$"""{"inputs":[{"name":"input","shape":[2,16],"datatype":"FP32","data":[{{row}},{{row}}]}]}""");

        Assert.That((one.StatusCode, two.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.BadRequest)));
    }

    [Test]
    public async Task ConcurrentRequests_AreBatchedAndEachCallerGetsItsOwnRows()
    {
        // The slow model holds each batch for tens of milliseconds, so the other callers queue up
        // behind it and must share batches.
        await using var worker = await TestWorker.StartAsync(
            SampleModels.SampleModels.MlpSlow(), "slow", o => o with { MaxBatchSize = 16, MaxQueueDelayMicroseconds = 2000, IntraOpThreads = 0 });
        var weights = SampleModels.SampleModels.MlpWeightsV1();
        var random = new Random(7);
        var inputs = Enumerable.Range(0, 48).Select(i => Enumerable.Range(0, 16 * (1 + (i % 3))).Select(_ => (float)Math.Round(random.NextDouble() * 2 - 1, 3)).ToArray()).ToArray();

        var answers = await Task.WhenAll(inputs.Select(async input =>
        {
            var body = await worker.InferJsonAsync($$"""{"inputs":[{"name":"input","shape":[{{input.Length / 16}},16],"datatype":"FP32","data":[{{string.Join(",", input)}}]}]}""");
            return Floats(body["outputs"]![0]!["data"]);
        }));
        var executions = await worker.MetricAsync("""nv_inference_exec_count{model="slow",version="1"}""");

        Assert.Multiple(() =>
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                Assert.That(answers[i], Is.EqualTo(weights.Forward(inputs[i])).Within(1e-5f), $"caller {i}");
            }

            Assert.That(executions, Is.LessThan(inputs.Length), "requests shared session calls");
        });
    }
}
