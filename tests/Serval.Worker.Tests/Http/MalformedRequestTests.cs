using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Serval.Worker.Tests.Support;

namespace Serval.Worker.Tests.Http;

/// <summary>A corpus of broken requests: each gets a 4xx with a message, and the worker keeps serving.</summary>
public sealed class MalformedRequestTests
{
    private const string Row = "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16";

    private TestWorker _worker = null!;

    /// <summary>
    /// A case: body bytes, the Inference-Header-Content-Length to send (if any), the path's model,
    /// and whether to wait for 100-continue (a refused oversized body is never read, so a client
    /// that sends it unasked may see the connection close under it).
    /// </summary>
    public sealed record Case(string Name, byte[] Body, string? HeaderLength = null, string Model = "mlp", bool ExpectContinue = false)
    {
        public override string ToString() => Name;
    }

    private static Case Json(string name, string body) => new(name, Encoding.UTF8.GetBytes(body));

    private static string Input(string fields) => $$"""{"inputs":[{{fields}}]}""";

    private static string Valid(string extra = "") => $$"""{"inputs":[{"name":"input","shape":[1,16],"datatype":"FP32","data":[{{Row}}]}]{{extra}}}""";

    private static Case Binary(string name, string json, byte[] binary, string? headerLength = null)
    {
        var header = Encoding.UTF8.GetBytes(json);
        return new Case(name, [.. header, .. binary], headerLength ?? header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static IEnumerable<Case> Corpus()
    {
        yield return Json("empty body", "");
        yield return Json("truncated object", "{");
        yield return Json("array root", "[]");
        yield return Json("null root", "null");
        yield return Json("number root", "42");
        yield return Json("string root", "\"infer\"");
        yield return Json("no inputs", "{}");
        yield return Json("inputs is an object", """{"inputs":{}}""");
        yield return Json("inputs is null", """{"inputs":null}""");
        yield return Json("input is a number", """{"inputs":[1]}""");
        yield return Json("input is empty", """{"inputs":[{}]}""");
        yield return Json("no datatype", Input($$"""{"name":"input","shape":[1,16],"data":[{{Row}}]}"""));
        yield return Json("no shape", Input($$"""{"name":"input","datatype":"FP32","data":[{{Row}}]}"""));
        yield return Json("no data", Input("""{"name":"input","shape":[1,16],"datatype":"FP32"}"""));
        yield return Json("name is a number", Input($$"""{"name":5,"shape":[1,16],"datatype":"FP32","data":[{{Row}}]}"""));
        yield return Json("name is empty", Input($$"""{"name":"","shape":[1,16],"datatype":"FP32","data":[{{Row}}]}"""));
        yield return Json("unknown datatype", Input($$"""{"name":"input","shape":[1,16],"datatype":"FLOAT32","data":[{{Row}}]}"""));
        yield return Json("lower-case datatype", Input($$"""{"name":"input","shape":[1,16],"datatype":"fp32","data":[{{Row}}]}"""));
        yield return Json("datatype is a number", Input($$"""{"name":"input","shape":[1,16],"datatype":1,"data":[{{Row}}]}"""));
        yield return Json("shape is a string", Input($$"""{"name":"input","shape":"1,16","datatype":"FP32","data":[{{Row}}]}"""));
        yield return Json("negative dimension", Input($$"""{"name":"input","shape":[-1,16],"datatype":"FP32","data":[{{Row}}]}"""));
        yield return Json("fractional dimension", Input($$"""{"name":"input","shape":[1.5,16],"datatype":"FP32","data":[{{Row}}]}"""));
        yield return Json("dimensions as strings", Input($$"""{"name":"input","shape":["1","16"],"datatype":"FP32","data":[{{Row}}]}"""));
        yield return Json("huge dimension", Input($$"""{"name":"input","shape":[1e30,16],"datatype":"FP32","data":[{{Row}}]}"""));
        yield return Json("33 dimensions", Input($$"""{"name":"input","shape":[{{string.Join(",", Enumerable.Repeat(1, 33))}}],"datatype":"FP32","data":[1]}"""));
        yield return Json("data is a number", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","data":5}"""));
        yield return Json("too few elements", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","data":[1,2,3]}"""));
        yield return Json("too many elements", Input($$"""{"name":"input","shape":[1,16],"datatype":"FP32","data":[{{Row}},17]}"""));
        yield return Json("string element", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","data":["a",2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}"""));
        yield return Json("null element", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","data":[null,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}"""));
        yield return Json("boolean element", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","data":[true,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}"""));
        yield return Json("object element", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","data":[{},2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}"""));
        yield return Json("odd string element", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","data":["Infinityx",2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}"""));
        yield return Json("FP32 overflow", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","data":[1e39,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}"""));
        yield return Json("nested rows of the wrong length", Input("""{"name":"input","shape":[2,16],"datatype":"FP32","data":[[1,2],[3,4]]}"""));
        yield return Json("nested too deep", Input($$"""{"name":"input","shape":[1,16],"datatype":"FP32","data":[[[{{Row}}]]]}"""));
        yield return Json("nested and flat mixed", Input($$"""{"name":"input","shape":[2,16],"datatype":"FP32","data":[{{Row}},[{{Row}}]]}"""));
        yield return Json("rank differs from the model", Input($$"""{"name":"input","shape":[16],"datatype":"FP32","data":[{{Row}}]}"""));
        yield return Json("fixed dimension differs", Input("""{"name":"input","shape":[1,15],"datatype":"FP32","data":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}"""));
        yield return Json("datatype differs from the model", Input($$"""{"name":"input","shape":[1,16],"datatype":"INT32","data":[{{Row}}]}"""));
        yield return Json("unknown input", Input($$"""{"name":"features","shape":[1,16],"datatype":"FP32","data":[{{Row}}]}"""));
        yield return Json("duplicate input", $$"""{"inputs":[{"name":"input","shape":[1,16],"datatype":"FP32","data":[{{Row}}]},{"name":"input","shape":[1,16],"datatype":"FP32","data":[{{Row}}]}]}""");
        yield return Json("missing input", """{"inputs":[]}""");
        yield return Json("unknown output", Valid(""","outputs":[{"name":"logits"}]"""));
        yield return Json("duplicate output", Valid(""","outputs":[{"name":"output"},{"name":"output"}]"""));
        yield return Json("outputs is an object", Valid(""","outputs":{"name":"output"}"""));
        yield return Json("output without a name", Valid(""","outputs":[{}]"""));
        yield return Json("binary_data_output is a string", Valid(""","parameters":{"binary_data_output":"yes"}"""));
        yield return Json("parameters is an array", Valid(""","parameters":[]"""));
        yield return Json("classification requested", Valid(""","outputs":[{"name":"output","parameters":{"classification":2}}]"""));
        yield return Json("id is a number", $$"""{"id":7,"inputs":[{"name":"input","shape":[1,16],"datatype":"FP32","data":[{{Row}}]}]}""");
        yield return Json("trailing garbage", Valid() + " x");
        yield return Json("two JSON values", Valid() + Valid());
        yield return Json("NaN literal", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","data":[NaN,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}"""));
        yield return Json("comment", "/* hi */" + Valid());
        yield return Json("single quotes", Valid().Replace('"', '\''));
        yield return Json("nesting beyond 64 levels", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","data":""" + new string('[', 100) + new string(']', 100) + "}"));
        yield return Json("tensor over the element limit", Input("""{"name":"input","shape":[100000,16],"datatype":"FP32","data":[]}"""));
        yield return new Case("invalid UTF-8", [.. "{\"id\":\""u8.ToArray(), 0xC3, 0x28, .. "\",\"inputs\":[]}"u8.ToArray()]);
        yield return new Case("body over the size limit", Encoding.UTF8.GetBytes(Valid() + new string(' ', 70_000)), ExpectContinue: true);
        yield return Binary("binary size with data too", Input($$$"""{"name":"input","shape":[1,16],"datatype":"FP32","data":[{{{Row}}}],"parameters":{"binary_data_size":64}}"""), new byte[64]);
        yield return Binary("binary size is negative", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":-4}}"""), new byte[64]);
        yield return Binary("binary size is a string", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":"64"}}"""), new byte[64]);
        yield return Binary("binary size past the body", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":64}}"""), new byte[10]);
        yield return Binary("binary size not the tensor's", Input("""{"name":"input","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":60}}"""), new byte[60]);
        yield return Binary("unclaimed binary bytes", Valid(), new byte[8]);
        yield return Binary("header length not a number", Valid(), [], "lots");
        yield return Binary("header length past the body", Valid(), [], "100000");
        yield return Binary("header length cuts the JSON", Valid(), new byte[4], "10");
        yield return new Case("unknown model", Encoding.UTF8.GetBytes(Valid()), Model: "other");
        yield return new Case("unknown version", Encoding.UTF8.GetBytes(Valid()), Model: "mlp/versions/7");
    }

    [OneTimeSetUp]
    public async Task StartWorker() =>
        _worker = await TestWorker.StartAsync(SampleModels.SampleModels.Mlp(), "mlp", o => o with { MaxRequestBytes = 64 * 1024, MaxTensorElements = 100_000 });

    [OneTimeTearDown]
    public async Task StopWorker() => await _worker.DisposeAsync();

    [Test]
    public void Corpus_HasAtLeastFiftyCases()
    {
        Assert.That(Corpus().Count(), Is.GreaterThanOrEqualTo(50));
    }

    private Task<HttpResponseMessage> SendAsync(Case malformed)
    {
        var content = new ByteArrayContent(malformed.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (malformed.HeaderLength is not null)
        {
            content.Headers.Add("Inference-Header-Content-Length", malformed.HeaderLength);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, $"v2/models/{malformed.Model}/infer") { Content = content };
        request.Headers.ExpectContinue = malformed.ExpectContinue;
        return _worker.Client.SendAsync(request);
    }

    [TestCaseSource(nameof(Corpus))]
    public async Task MalformedRequest_Answers4xxWithAMessage(Case malformed)
    {
        using var response = await SendAsync(malformed);
        var text = await response.Content.ReadAsStringAsync();
        var error = (string?)JsonNode.Parse(text)?["error"];
        TestContext.Out.WriteLine($"{(int)response.StatusCode} {error}");

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.InRange(400, 499), text);
            Assert.That(error, Is.Not.Null.And.Length.GreaterThan(10));
        });
    }

    [Test]
    public async Task AfterTheCorpus_TheWorkerStillServesAndCountedNoServerError()
    {
        foreach (var malformed in Corpus())
        {
            using var ignored = await SendAsync(malformed);
        }

        using var response = await _worker.InferAsync(Valid());
        var serverErrors = await _worker.MetricAsync("""serval_inference_requests_total{model="mlp",outcome="server_error"}""");

        Assert.That((response.StatusCode, serverErrors), Is.EqualTo((HttpStatusCode.OK, 0.0)));
    }
}
