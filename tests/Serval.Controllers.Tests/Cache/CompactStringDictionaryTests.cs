using k8s;
using k8s.Models;
using Serval.Controllers.Cache;

namespace Serval.Controllers.Tests.Cache;

/// <summary>The cached objects' labels and annotations: the same answers as a dictionary, in its order, and read-only.</summary>
public sealed class CompactStringDictionaryTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["serval.dev/inferenceservice"] = "mlp", ["serval.dev/revision"] = "abc", ["tier"] = "gpu" };

    [Test]
    public void Of_AnswersAsTheDictionaryDoes_InItsOrder()
    {
        var map = CompactStringDictionary.Of(Labels);

        Assert.Multiple(() =>
        {
            Assert.That(map, Is.EqualTo(Labels));
            Assert.That(map.Keys, Is.EqualTo(Labels.Keys));
            Assert.That(map["tier"], Is.EqualTo("gpu"));
            Assert.That(map.TryGetValue("serval.dev/revision", out var revision) && revision == "abc", Is.True);
            Assert.That(map.ContainsKey("Tier"), Is.False, "keys are compared ordinally");
            Assert.That(map.Count, Is.EqualTo(3));
        });
    }

    [Test]
    public void Of_NullAndAnAlreadyCompactMap_AreReturnedAsTheyAre()
    {
        var map = CompactStringDictionary.Of(Labels);

        Assert.Multiple(() =>
        {
            Assert.That(CompactStringDictionary.Of(null), Is.Null);
            Assert.That(CompactStringDictionary.Of(map), Is.SameAs(map));
        });
    }

    [Test]
    public void Changing_IsRefused_WithWhatToDoInstead()
    {
        var map = CompactStringDictionary.Of(Labels);

        var error = Assert.Throws<NotSupportedException>(() => map["tier"] = "cpu");

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("copy the map"));
            Assert.That(() => map.Remove("tier"), Throws.TypeOf<NotSupportedException>());
            Assert.That(map["tier"], Is.EqualTo("gpu"));
        });
    }

    [Test]
    public void AnObjectHoldingOne_SerializesAsWithADictionary()
    {
        var plain = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a", Labels = Labels } };
        var compact = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a", Labels = CompactStringDictionary.Of(Labels) } };

        Assert.That(KubernetesJson.Serialize(compact), Is.EqualTo(KubernetesJson.Serialize(plain)));
    }
}
