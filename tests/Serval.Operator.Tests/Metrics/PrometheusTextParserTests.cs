using Serval.Operator.Metrics;

namespace Serval.Operator.Tests.Metrics;

public sealed class PrometheusTextParserTests
{
    [Test]
    public void Parse_CounterWithLabels()
    {
        var e = PrometheusTextParser.Parse("""
            # HELP serval_inference_requests_total Inference requests by outcome.
            # TYPE serval_inference_requests_total counter
            serval_inference_requests_total{model="mlp",outcome="success"} 42
            """);

        var s = e.Samples.Single();
        Assert.That((s.Name, s.Label("model"), s.Label("outcome"), s.Value), Is.EqualTo(("serval_inference_requests_total", "mlp", "success", 42.0)));
        Assert.That(e.Types["serval_inference_requests_total"], Is.EqualTo("counter"));
    }

    [Test]
    public void Parse_GaugeWithoutLabels()
    {
        var s = PrometheusTextParser.Parse("in_flight 3.5\n").Samples.Single();

        Assert.That((s.Name, s.Labels.Count, s.Value), Is.EqualTo(("in_flight", 0, 3.5)));
    }

    [Test]
    public void Parse_Histogram()
    {
        var e = PrometheusTextParser.Parse("""
            # TYPE d_seconds histogram
            d_seconds_bucket{le="0.005"} 1
            d_seconds_bucket{le="0.01"} 3
            d_seconds_bucket{le="+Inf"} 4
            d_seconds_sum 0.031
            d_seconds_count 4
            """);

        Assert.That(e.Named("d_seconds_bucket").Select(s => s.Label("le")), Is.EqualTo(new[] { "0.005", "0.01", "+Inf" }));
        Assert.That(e.Named("d_seconds_sum").Single().Value, Is.EqualTo(0.031));
        Assert.That(e.Types["d_seconds"], Is.EqualTo("histogram"));
    }

    [Test]
    public void Parse_UnescapesLabelValues()
    {
        var s = PrometheusTextParser.Parse("m{path=\"C:\\\\dir\",msg=\"say \\\"hi\\\"\\nbye\"} 1").Samples.Single();

        Assert.That(s.Label("path"), Is.EqualTo("C:\\dir"));
        Assert.That(s.Label("msg"), Is.EqualTo("say \"hi\"\nbye"));
    }

    [Test]
    public void Parse_LabelValueMayHoldBracesCommasAndSpaces()
    {
        var s = PrometheusTextParser.Parse("m{a=\"x, y}\", b = \"z\" ,} 2").Samples.Single();

        Assert.That((s.Label("a"), s.Label("b"), s.Value), Is.EqualTo(("x, y}", "z", 2.0)));
    }

    [TestCase("NaN", double.NaN)]
    [TestCase("+Inf", double.PositiveInfinity)]
    [TestCase("-Inf", double.NegativeInfinity)]
    [TestCase("1.5e-3", 0.0015)]
    [TestCase("-7", -7.0)]
    public void Parse_SpecialAndScientificValues(string text, double expected)
    {
        Assert.That(PrometheusTextParser.Parse($"m {text}").Samples.Single().Value, Is.EqualTo(expected));
    }

    [Test]
    public void Parse_Timestamp()
    {
        var s = PrometheusTextParser.Parse("m{a=\"b\"} 1 1700000000123").Samples.Single();

        Assert.That(s.TimestampMilliseconds, Is.EqualTo(1700000000123L));
    }

    [Test]
    public void Parse_SkipsCommentsBlankLinesAndCarriageReturns()
    {
        var e = PrometheusTextParser.Parse("# a comment\r\n\r\n  \nm 1\r\n# another\n");

        Assert.That(e.Samples.Select(s => s.Name), Is.EqualTo(new[] { "m" }));
    }

    [TestCase("m", "line 1: sample 'm' has no value")]
    [TestCase("m abc", "line 1: value 'abc' of 'm' is not a number")]
    [TestCase("m 1 2 3", "line 1: unexpected text after the value of 'm'")]
    [TestCase("m 1 x", "line 1: timestamp 'x' of 'm' is not an integer")]
    [TestCase("m{a=\"b\" 1", "line 1: expected ',' or '}' after label 'a'")]
    [TestCase("m{a=b} 1", "line 1: value of label 'a' must be quoted")]
    [TestCase("m{a=\"b} 1", "line 1: value of label 'a' is not closed with '\"'")]
    [TestCase("m{a=\"\\x\"} 1", "line 1: unknown escape '\\x' in label 'a'")]
    [TestCase("m{a=\"1\",a=\"2\"} 1", "line 1: label 'a' appears twice")]
    [TestCase("{a=\"1\"} 1", "line 1: expected a metric name")]
    [TestCase("# TYPE m gauge2", "line 1: unknown metric type 'gauge2' (expected counter, gauge, histogram, summary or untyped)")]
    [TestCase("# TYPE", "line 1: # TYPE needs a metric name")]
    public void Parse_MalformedLine_ThrowsNamingTheLine(string text, string message)
    {
        var ex = Assert.Throws<PrometheusFormatException>(() => PrometheusTextParser.Parse(text));

        Assert.That(ex!.Message, Does.StartWith(message));
    }

    [Test]
    public void Parse_ErrorNamesTheRightLine()
    {
        var ex = Assert.Throws<PrometheusFormatException>(() => PrometheusTextParser.Parse("a 1\nb 2\nc oops\n"));

        Assert.That(ex!.Message, Does.StartWith("line 3:"));
    }
}
