using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Ownership;

namespace Serval.Operator.Revisions;

/// <summary>
/// One revision of an InferenceService, as the builders see it: the owner, its resolved spec and the hash.
/// <see cref="Name"/> (<c>&lt;isvc&gt;-&lt;hash&gt;</c>) names the revision's Deployment, Service, HPA and PDB.
/// </summary>
public sealed record Revision(InferenceService Owner, ResolvedSpec Spec, string Hash)
{
    /// <summary>Builds the revision of <paramref name="owner"/>'s current spec.</summary>
    public static Revision Of(InferenceService owner, ResolvedSpec spec)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return new Revision(owner, spec, RevisionHash.Of(spec));
    }

    public string ServiceName => Owner.Metadata.Name;

    public string Namespace => Owner.Metadata.NamespaceProperty ?? "default";

    public string Name => NameOf(ServiceName, Hash);

    /// <summary>The child name of revision <paramref name="hash"/> of InferenceService <paramref name="service"/>.</summary>
    public static string NameOf(string service, string hash) => $"{service}-{hash}";

    /// <summary>The labels of the revision's children and pods.</summary>
    public Dictionary<string, string> Labels() => ServalLabels.ForRevision(ServiceName, Hash);

    /// <summary>Metadata for one of the revision's children: name, namespace, labels, controller reference.</summary>
    public V1ObjectMeta ChildMetadata() => new()
    {
        Name = Name,
        NamespaceProperty = Namespace,
        Labels = Labels(),
        OwnerReferences = [OwnerReferences.ControllerReference(Owner)],
    };
}
