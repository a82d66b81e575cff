using System.Text.Json.Nodes;
using Serval.LocalCluster.Admission;

namespace Serval.LocalCluster.Tests.Admission;

public sealed class HttpRouteTests
{
    private static readonly Lazy<StructuralSchema> Schema = new(() => TestYaml.Compile(TestYaml.File("httproute-v1-schema.yaml")));

    private static JsonObject Admit(string yaml, out IReadOnlyList<FieldError> errors)
    {
        var obj = TestYaml.Object(yaml);
        Schema.Value.Prune(obj);
        Schema.Value.ApplyDefaults(obj);
        errors = Schema.Value.Validate(obj);
        return obj;
    }

    [Test]
    public void ValidRoute_IsAdmittedWithDefaults()
    {
        var obj = Admit("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web}
            spec:
              parentRefs: [{name: gw}]
              hostnames: [serval.example.com]
              rules:
              - backendRefs: [{name: web-stable, port: 80, weight: 80}, {name: web-canary, port: 80, weight: 20}]
            """, out var errors);

        Assert.That(errors, Is.Empty);
        Assert.That(obj["spec"]!["rules"]![0]!["matches"]![0]!["path"]!["value"]!.GetValue<string>(), Is.EqualTo("/"));
        Assert.That(obj["spec"]!["parentRefs"]![0]!["kind"]!.GetValue<string>(), Is.EqualTo("Gateway"));
    }

    [Test]
    public void BackendServiceWithoutPort_FailsItsRuleOnTheItem()
    {
        Admit("spec: {rules: [{backendRefs: [{name: a, port: 80}, {name: b}]}]}", out var errors);

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.rules[0].backendRefs[1]: Invalid value: \"object\": Must have port for Service reference",
        }));
    }

    [Test]
    public void DuplicateParentWithoutSectionName_FailsTheNamespaceEscapedRule()
    {
        Admit("spec: {parentRefs: [{name: gw, namespace: infra}, {name: gw, namespace: infra, sectionName: http}]}", out var errors);

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.parentRefs: Invalid value: \"array\": sectionName must be specified when parentRefs includes 2 or more references to the same parent",
        }));
    }

    [Test]
    public void PathWithDoubleSlash_FailsThePathRule()
    {
        Admit("spec: {rules: [{matches: [{path: {type: PathPrefix, value: /a//b}}]}]}", out var errors);

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.rules[0].matches[0].path: Invalid value: \"object\": must not contain '//' when type one of ['Exact', 'PathPrefix']",
        }));
    }

    [Test]
    public void PathWithInvalidCharacter_FailsTheRawStringRegexRule()
    {
        Admit("spec: {rules: [{matches: [{path: {type: Exact, value: '/a b'}}]}]}", out var errors);

        Assert.That(errors.Single().Message, Does.StartWith("Invalid value: \"object\": must only contain valid characters"));
    }

    [Test]
    public void RedirectTogetherWithBackends_FailsTheRuleLevelRule()
    {
        Admit("""
            spec:
              rules:
              - backendRefs: [{name: a, port: 80}]
                filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]
            """, out var errors);

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.rules[0]: Invalid value: \"object\": RequestRedirect filter must not be used together with backendRefs",
        }));
    }

    [Test]
    public void DuplicateHeaderMatch_IsDuplicate()
    {
        Admit("spec: {rules: [{matches: [{headers: [{name: x-v, value: a}, {name: x-v, value: b}]}]}]}", out var errors);

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.rules[0].matches[0].headers[1]: Duplicate value: map[string]interface {}{\"name\":\"x-v\"}",
        }));
    }
}
