using k8s.Models;
using Serval.Controllers.Cache;

namespace Serval.Controllers.Tests.Cache;

/// <summary>The store's indexes as objects come, change and go: one object per value or many, in any order.</summary>
public sealed class ObjectStoreTests
{
    private ObjectStore<V1ConfigMap> _store = null!;

    [SetUp]
    public void CreateStore() => _store = new ObjectStore<V1ConfigMap>();

    private static V1ConfigMap ConfigMap(string name, string tier, string resourceVersion = "1") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            ResourceVersion = resourceVersion,
            Labels = new Dictionary<string, string> { ["tier"] = tier },
        },
    };

    private IEnumerable<string> Tier(string tier) =>
        _store.ByIndex(CacheIndexes.Label, CacheIndexes.LabelValue("tier", tier)).Select(c => c.Metadata.Name).Order(StringComparer.Ordinal);

    [Test]
    public void ByIndex_FindsOneObjectOrSeveral()
    {
        _store.Upsert(ConfigMap("a", "gpu"));
        _store.Upsert(ConfigMap("b", "gpu"));
        _store.Upsert(ConfigMap("c", "cpu"));

        Assert.Multiple(() =>
        {
            Assert.That(Tier("gpu"), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(Tier("cpu"), Is.EqualTo(new[] { "c" }));
            Assert.That(Tier("tpu"), Is.Empty);
        });
    }

    [Test]
    public void ByIndex_AfterRemovals_FindsWhatIsLeft_AndNothingOnceAllAreGone()
    {
        _store.Upsert(ConfigMap("a", "gpu"));
        _store.Upsert(ConfigMap("b", "gpu"));
        _store.Upsert(ConfigMap("c", "gpu"));

        _store.Remove(new ObjectKey("default", "b"));
        var two = Tier("gpu").ToList();
        _store.Remove(new ObjectKey("default", "a"));
        var one = Tier("gpu").ToList();
        _store.Remove(new ObjectKey("default", "c"));

        Assert.Multiple(() =>
        {
            Assert.That(two, Is.EqualTo(new[] { "a", "c" }));
            Assert.That(one, Is.EqualTo(new[] { "c" }));
            Assert.That(Tier("gpu"), Is.Empty);
        });
    }

    [Test]
    public void ByIndex_AnObjectWhoseLabelChanged_MovesToItsNewValue()
    {
        _store.Upsert(ConfigMap("a", "gpu"));
        _store.Upsert(ConfigMap("b", "gpu"));

        _store.Upsert(ConfigMap("a", "cpu", resourceVersion: "2"));
        _store.Upsert(ConfigMap("a", "cpu", resourceVersion: "3"));

        Assert.Multiple(() =>
        {
            Assert.That(Tier("gpu"), Is.EqualTo(new[] { "b" }));
            Assert.That(Tier("cpu"), Is.EqualTo(new[] { "a" }));
        });
    }

    [Test]
    public void Replace_ReindexesEverything()
    {
        _store.Upsert(ConfigMap("a", "gpu"));
        _store.Upsert(ConfigMap("b", "gpu"));

        var changes = _store.Replace([ConfigMap("b", "gpu"), ConfigMap("c", "gpu", resourceVersion: "2")]);

        Assert.Multiple(() =>
        {
            Assert.That(Tier("gpu"), Is.EqualTo(new[] { "b", "c" }));
            Assert.That(changes.Select(c => $"{c.Type} {c.New?.Metadata.Name ?? c.Old?.Metadata.Name}"), Is.EquivalentTo(new[] { "Added c", "Deleted a" }));
        });
    }
}
