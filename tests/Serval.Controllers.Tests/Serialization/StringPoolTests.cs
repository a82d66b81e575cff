using System.Text;
using System.Text.Json;
using k8s.Models;
using Serval.Controllers.Serialization;

namespace Serval.Controllers.Tests.Serialization;

/// <summary>The pool shares repeated strings, stays bounded, and the converter reads exactly what the plain reader reads.</summary>
public sealed class StringPoolTests
{
    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"mlp-abc","namespace":"models","uid":"UID","labels":{"serval.dev/inferenceservice":"mlp","serval.dev/revision":"abc"}},
         "spec":{"replicas":2,"template":{"metadata":{"labels":{"serval.dev/inferenceservice":"mlp"}},
           "spec":{"containers":[{"name":"worker","image":"ghcr.io/serval-dev/serval-worker:0.1.0","args":["--name","caf\u00e9","--note","\u00fcber \"quoted\""]}]}}}}
        """;

    [Test]
    public void Get_TheSameBytesTwice_IsTheSameString()
    {
        var pool = new StringPool(16);

        var first = pool.Get("serval.dev/revision"u8);
        var second = pool.Get("serval.dev/revision"u8);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("serval.dev/revision"));
            Assert.That(second, Is.SameAs(first));
        });
    }

    [Test]
    public void Get_NonAsciiText_IsDecodedAndShared()
    {
        var pool = new StringPool(16);
        var bytes = Encoding.UTF8.GetBytes("modèle-über");

        var first = pool.Get(bytes);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("modèle-über"));
            Assert.That(pool.Get(bytes), Is.SameAs(first));
        });
    }

    [Test]
    public void Get_ALongValue_IsDecodedButNotKept()
    {
        var pool = new StringPool(16);
        var bytes = Encoding.UTF8.GetBytes(new string('x', StringPool.MaxPooledBytes + 1));

        var first = pool.Get(bytes);

        Assert.Multiple(() =>
        {
            Assert.That(first, Has.Length.EqualTo(StringPool.MaxPooledBytes + 1));
            Assert.That(pool.Get(bytes), Is.Not.SameAs(first));
        });
    }

    [Test]
    public void Get_ManyMoreValuesThanSlots_StaysCorrect_AndKeepsAtMostItsCapacity()
    {
        var pool = new StringPool(4);
        var values = Enumerable.Range(0, 1000).Select(i => $"value-{i}").ToList();

        var read = values.Select(v => pool.Get(Encoding.UTF8.GetBytes(v))).ToList();
        var kept = values.Count(v => ReferenceEquals(pool.Get(Encoding.UTF8.GetBytes(v)), read[values.IndexOf(v)]));

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.EqualTo(values));
            Assert.That(pool.Capacity, Is.EqualTo(8));
            Assert.That(kept, Is.LessThanOrEqualTo(pool.Capacity));
        });
    }

    [Test]
    public void Constructor_SetsNotAPowerOfTwo_AreRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new StringPool(12));

        Assert.That(error!.Message, Does.Contain("power of two").And.Contain("12"));
    }

    [Test]
    public void Converter_ReadsWhatThePlainReaderReads_AndSharesRepeatedValues()
    {
        var pooled = Options(new StringPool());

        var plain = JsonSerializer.Deserialize<V1Deployment>(Deployment)!;
        var one = JsonSerializer.Deserialize<V1Deployment>(Deployment, pooled)!;
        var two = JsonSerializer.Deserialize<V1Deployment>(Deployment, pooled)!;

        Assert.Multiple(() =>
        {
            Assert.That(JsonSerializer.Serialize(one, pooled), Is.EqualTo(JsonSerializer.Serialize(plain)));
            Assert.That(two.Metadata.NamespaceProperty, Is.SameAs(one.Metadata.NamespaceProperty));
            Assert.That(two.Spec.Template.Spec.Containers[0].Image, Is.SameAs(one.Spec.Template.Spec.Containers[0].Image));
            Assert.That(two.Metadata.Labels.Keys.First(), Is.SameAs(one.Metadata.Labels.Keys.First()), "map keys too");
            Assert.That(one.Spec.Template.Spec.Containers[0].Args[1], Is.EqualTo("café"), "an escaped value is decoded");
            Assert.That(one.Spec.Template.Spec.Containers[0].Args[3], Is.EqualTo("über \"quoted\""));
        });
    }

    [Test]
    public void Converter_ANumberWhereAStringBelongs_FailsAsWithoutThePool()
    {
        const string json = """{"metadata":{"name":42}}""";

        var withPool = Assert.Catch(() => JsonSerializer.Deserialize<V1ConfigMap>(json, Options(new StringPool())));
        var without = Assert.Catch(() => JsonSerializer.Deserialize<V1ConfigMap>(json));

        Assert.That(withPool!.GetType(), Is.EqualTo(without!.GetType()));
    }

    private static JsonSerializerOptions Options(StringPool pool)
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new PooledStringJsonConverter(pool));
        return options;
    }
}
