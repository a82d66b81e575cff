using System.Text.Json.Nodes;

namespace Serval.Packaging.Tests.Rbac;

/// <summary>One PolicyRule of a rendered Role or ClusterRole; <see cref="Namespace"/> is null for a ClusterRole's.</summary>
internal sealed record RbacRule(string Role, string? Namespace, IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources, IReadOnlyList<string> Verbs)
{
    public static IEnumerable<RbacRule> From(JsonObject role)
    {
        var name = (string)role["metadata"]!["name"]!;
        var ns = (string?)role["kind"] == "Role" ? (string?)role["metadata"]!["namespace"] : null;
        foreach (var rule in role["rules"]?.AsArray() ?? [])
        {
            yield return new RbacRule(name, ns, Strings(rule!["apiGroups"]), Strings(rule["resources"]), Strings(rule["verbs"]));
        }
    }

    public bool HasWildcard => ApiGroups.Contains("*") || Resources.Contains("*") || Verbs.Contains("*");

    public bool Allows(ApiCall call) =>
        (Namespace is null || Namespace == call.Namespace)
        && ApiGroups.Contains(call.Group)
        && Resources.Contains(call.ResourceName)
        && Verbs.Contains(call.Verb);

    /// <summary>Each (group, resource, verb) this rule grants.</summary>
    public IEnumerable<(string Group, string Resource, string Verb)> Grants() =>
        from g in ApiGroups from r in Resources from v in Verbs select (g, r, v);

    private static List<string> Strings(JsonNode? node) => node?.AsArray().Select(n => (string)n!).ToList() ?? [];
}
