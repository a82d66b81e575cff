using k8s.Models;
using Serval.Controllers.Ownership;

namespace Serval.Controllers.Tests.Ownership;

public sealed class OwnerReferencesTests
{
    private static V1Deployment Owner(string uid = "uid-1", string ns = "ml") =>
        new() { Metadata = new V1ObjectMeta { Name = "resnet", NamespaceProperty = ns, Uid = uid } };

    private static V1Service Child(string ns = "ml") => new() { Metadata = new V1ObjectMeta { Name = "resnet", NamespaceProperty = ns } };

    [Test]
    public void ControllerReference_ObjectWithoutKind_TakesKindAndVersionFromTheType()
    {
        var reference = OwnerReferences.ControllerReference(Owner());

        Assert.That(
            (reference.ApiVersion, reference.Kind, reference.Name, reference.Uid, reference.Controller, reference.BlockOwnerDeletion),
            Is.EqualTo(("apps/v1", "Deployment", "resnet", "uid-1", (bool?)true, (bool?)true)));
    }

    [Test]
    public void ControllerReference_OwnerWithoutUid_ExplainsWhy()
    {
        var owner = Owner(uid: "");

        var error = Assert.Throws<ArgumentException>(() => OwnerReferences.ControllerReference(owner));

        Assert.That(error!.Message, Does.Contain("metadata.uid"));
    }

    [Test]
    public void SetController_NewChild_AddsOneControllerReference()
    {
        var child = Child();

        OwnerReferences.SetController(Owner(), child);
        OwnerReferences.SetController(Owner(), child);

        Assert.That(child.Metadata.OwnerReferences, Has.Count.EqualTo(1));
        Assert.That(OwnerReferences.IsControlledBy(child, Owner()), Is.True);
    }

    [Test]
    public void SetController_ChildControlledByAnother_Throws()
    {
        var child = Child();
        OwnerReferences.SetController(Owner("uid-1"), child);

        var error = Assert.Throws<InvalidOperationException>(() => OwnerReferences.SetController(Owner("uid-2"), child));

        Assert.That(error!.Message, Does.Contain("uid-1"));
    }

    [Test]
    public void SetController_OtherNamespace_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => OwnerReferences.SetController(Owner(ns: "ml"), Child(ns: "other")));

        Assert.That(error!.Message, Does.Contain("'other'"));
    }

    [Test]
    public void IsControlledBy_DifferentOwner_IsFalse()
    {
        var child = Child();
        OwnerReferences.SetController(Owner("uid-1"), child);

        Assert.That(OwnerReferences.IsControlledBy(child, Owner("uid-2")), Is.False);
    }
}
