using System.Text.Json;
using Serval.Operator.Rollout.SmokeTest;

namespace Serval.Operator.Tests.Rollout.SmokeTest;

public sealed class SmokeTestComparerTests
{
    private static string? Compare(string expected, string actual, double tolerance = 0.01)
    {
        using var want = JsonDocument.Parse(expected);
        using var got = JsonDocument.Parse(actual);
        return SmokeTestComparer.FirstMismatch(want.RootElement, got.RootElement, tolerance);
    }

    private static string Response(string data, string shape = "[1,2]", string datatype = "FP32", string name = "y") =>
        $$"""{"model_name":"m","outputs":[{"name":"{{name}}","datatype":"{{datatype}}","shape":{{shape}},"data":{{data}}}]}""";

    [Test]
    public void WithinTolerance_Agrees()
    {
        Assert.That(Compare(Response("[1.0, 2.0]"), Response("[1.005, 1.995]")), Is.Null);
    }

    [Test]
    public void BeyondTolerance_NamesTheOutputTheIndexAndBothValues()
    {
        Assert.That(Compare(Response("[1.0, 2.0]"), Response("[1.0, 2.5]")),
            Is.EqualTo("output y value [1] is 2.5, expected 2 (tolerance 0.01)"));
    }

    [Test]
    public void NestedData_IsComparedFlat()
    {
        Assert.That(Compare(Response("[[1.0], [2.0]]", "[2,1]"), Response("[[1.0], [3.0]]", "[2,1]")),
            Does.StartWith("output y value [1] is 3"));
    }

    [Test]
    public void DifferentShape_IsAMismatch()
    {
        Assert.That(Compare(Response("[1.0, 2.0]"), Response("[1.0, 2.0]", "[2, 1]")), Is.EqualTo("output y has shape [2,1], expected [1,2]"));
    }

    [Test]
    public void DifferentDatatype_IsAMismatch()
    {
        Assert.That(Compare(Response("[1, 2]"), Response("[1, 2]", datatype: "FP64")), Is.EqualTo("output y has datatype FP64, expected FP32"));
    }

    [Test]
    public void MissingOutput_IsAMismatch()
    {
        Assert.That(Compare(Response("[1, 2]"), Response("[1, 2]", name: "z")), Is.EqualTo("output y is missing"));
    }

    [Test]
    public void Strings_MustBeEqual()
    {
        Assert.That(Compare(Response("""["a","b"]""", datatype: "BYTES"), Response("""["a","c"]""", datatype: "BYTES")),
            Is.EqualTo("output y value [1] is \"c\", expected \"b\" (tolerance 0.01)"));
    }

    [Test]
    public void ResponseWithoutOutputs_IsAMismatch()
    {
        Assert.That(Compare(Response("[1, 2]"), """{"error":"x"}"""), Is.EqualTo("the response has no outputs"));
    }
}
