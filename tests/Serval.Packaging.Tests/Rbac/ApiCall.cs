namespace Serval.Packaging.Tests.Rbac;

/// <summary>What RBAC judges of one request: verb, API group, resource (with its subresource) and namespace.</summary>
internal sealed record ApiCall(string Verb, string Group, string Resource, string? Subresource, string? Namespace)
{
    public string ResourceName => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    public override string ToString() => $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{ResourceName}{(Namespace is null ? "" : $" in {Namespace}")}";
}
