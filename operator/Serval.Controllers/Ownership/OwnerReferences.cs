using k8s;
using k8s.Models;
using Serval.Controllers.Kubernetes;

namespace Serval.Controllers.Ownership;

/// <summary>Builds and reads controller owner references (controller: true, blockOwnerDeletion: true).</summary>
public static class OwnerReferences
{
    /// <summary>The reference that makes <paramref name="owner"/> the controller of another object.</summary>
    public static V1OwnerReference ControllerReference(IKubernetesObject<V1ObjectMeta> owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var kind = ResourceKind.Of(owner.GetType());
        var name = owner.Metadata?.Name;
        var uid = owner.Metadata?.Uid;
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(uid))
        {
            throw new ArgumentException(
                $"An owner {kind.Kind} needs metadata.name and metadata.uid (read it from the server), got name '{name}' and uid '{uid}'.",
                nameof(owner));
        }

        return new V1OwnerReference
        {
            ApiVersion = string.IsNullOrEmpty(owner.ApiVersion) ? kind.ApiVersion : owner.ApiVersion,
            Kind = string.IsNullOrEmpty(owner.Kind) ? kind.Kind : owner.Kind,
            Name = name,
            Uid = uid,
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }

    /// <summary>
    /// Makes <paramref name="owner"/> the controller of <paramref name="child"/>, replacing an
    /// older reference to the same owner. Throws when another object already controls the child
    /// or the two live in different namespaces.
    /// </summary>
    public static void SetController(IKubernetesObject<V1ObjectMeta> owner, IKubernetesObject<V1ObjectMeta> child)
    {
        ArgumentNullException.ThrowIfNull(child);
        var reference = ControllerReference(owner);
        child.Metadata ??= new V1ObjectMeta();
        var ownerNamespace = owner.Metadata.NamespaceProperty;
        var childNamespace = child.Metadata.NamespaceProperty;
        if (!string.IsNullOrEmpty(ownerNamespace) && ownerNamespace != childNamespace)
        {
            throw new ArgumentException(
                $"{reference.Kind} {ownerNamespace}/{reference.Name} cannot own an object in namespace '{childNamespace}': owners must share the namespace.",
                nameof(child));
        }

        var references = child.Metadata.OwnerReferences ??= [];
        var current = GetController(child);
        if (current is not null && current.Uid != reference.Uid)
        {
            throw new InvalidOperationException(
                $"{child.Metadata.Name} is already controlled by {current.Kind} {current.Name} (uid {current.Uid}); " +
                $"{reference.Kind} {reference.Name} cannot take it over.");
        }

        for (var i = references.Count - 1; i >= 0; i--)
        {
            if (references[i].Uid == reference.Uid)
            {
                references.RemoveAt(i);
            }
        }

        references.Add(reference);
    }

    /// <summary>The reference with controller: true, or null.</summary>
    public static V1OwnerReference? GetController(IKubernetesObject<V1ObjectMeta> obj) =>
        obj?.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    /// <summary>True when <paramref name="owner"/> controls <paramref name="child"/>.</summary>
    public static bool IsControlledBy(IKubernetesObject<V1ObjectMeta> child, IKubernetesObject<V1ObjectMeta> owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var reference = GetController(child);
        return reference is not null && !string.IsNullOrEmpty(owner.Metadata?.Uid) && reference.Uid == owner.Metadata.Uid;
    }
}
