using Serval.LocalCluster.Admission;

namespace Serval.LocalCluster.Tests.Admission;

public sealed class CelRuleTests
{
    private const string Autoscaling = """
        type: object
        properties:
          metadata: {type: object}
          spec:
            type: object
            properties:
              autoscaling:
                type: object
                properties:
                  minReplicas: {type: integer}
                  maxReplicas: {type: integer}
                x-kubernetes-validations:
                - rule: '!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas'
                  message: minReplicas must not exceed maxReplicas
                  fieldPath: .minReplicas
        """;

    private static IReadOnlyList<FieldError> Validate(string schema, string obj, string? old = null) =>
        TestYaml.Compile(schema).Validate(TestYaml.Parse(obj), old is null ? null : TestYaml.Parse(old));

    private static FieldError Single(string schema, string obj, string? old = null)
    {
        var errors = Validate(schema, obj, old);
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        return errors[0];
    }

    private static string Rule(string rule, string extra = "") =>
        $"type: object\nproperties: {{a: {{type: integer}}, s: {{type: string}}}}\nx-kubernetes-validations: [{{rule: {rule}{extra}}}]";

    [Test]
    public void FailingRule_WithMessageAndFieldPath_ReportsAtTheField()
    {
        var error = Single(Autoscaling, "spec: {autoscaling: {minReplicas: 5, maxReplicas: 2}}");

        Assert.That(error.ToString(), Is.EqualTo("spec.autoscaling.minReplicas: Invalid value: \"object\": minReplicas must not exceed maxReplicas"));
    }

    [Test]
    public void AbsentOptionalField_HasReturnsFalse()
    {
        Assert.That(Validate(Autoscaling, "spec: {autoscaling: {minReplicas: 5}}"), Is.Empty);
    }

    [Test]
    public void FailingRuleWithoutMessage_SaysFailedRuleAtTheRoot()
    {
        var error = Single(Rule("'self.a > 1'"), "a: 0");

        Assert.That(error.Field, Is.EqualTo("<nil>"));
        Assert.That(error.Message, Is.EqualTo("Invalid value: \"object\": failed rule: self.a > 1"));
    }

    [Test]
    public void MessageExpression_IsEvaluatedForTheMessage()
    {
        var error = Single(Rule("'self.a > 1'", ", messageExpression: '\"a is \" + string(self.a) + \", want more than 1\"'"), "a: 0");

        Assert.That(error.Message, Is.EqualTo("Invalid value: \"object\": a is 0, want more than 1"));
    }

    [Test]
    public void MessageExpressionThatFails_FallsBackToTheMessage()
    {
        var error = Single(Rule("'self.a > 1'", ", message: too small, messageExpression: 'self.missing'"), "a: 0");

        Assert.That(error.Message, Is.EqualTo("Invalid value: \"object\": too small"));
    }

    [TestCase("FieldValueForbidden", FieldErrorType.Forbidden, "Forbidden: no a")]
    [TestCase("FieldValueRequired", FieldErrorType.Required, "Required value: no a")]
    [TestCase("FieldValueDuplicate", FieldErrorType.Duplicate, "Duplicate value: \"object\"")]
    [TestCase("FieldValueInvalid", FieldErrorType.Invalid, "Invalid value: \"object\": no a")]
    public void Reason_ChoosesTheErrorType(string reason, FieldErrorType type, string message)
    {
        var error = Single(Rule("'has(self.a)'", $", message: no a, reason: {reason}"), "s: x");

        Assert.That(error.Type, Is.EqualTo(type));
        Assert.That(error.Message, Is.EqualTo(message));
    }

    [Test]
    public void RuleOnListItems_ReportsEachFailingItemByIndex()
    {
        const string schema = """
            type: object
            properties:
              steps:
                type: array
                items: {type: integer, x-kubernetes-validations: [{rule: 'self <= 100', message: at most 100}]}
            """;

        var errors = Validate(schema, "steps: [10, 200, 50, 300]");

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "steps[1]: Invalid value: \"integer\": at most 100",
            "steps[3]: Invalid value: \"integer\": at most 100",
        }));
    }

    [Test]
    public void RuleOnMapValues_ReportsTheKeyInBrackets()
    {
        const string schema = """
            type: object
            properties:
              selector:
                type: object
                additionalProperties: {type: string, x-kubernetes-validations: [{rule: 'self.size() > 0', message: empty}]}
            """;

        var error = Single(schema, "selector: {app: web, tier: ''}");

        Assert.That(error.ToString(), Is.EqualTo("selector[tier]: Invalid value: \"string\": empty"));
    }

    [TestCase("port: 80", true)]
    [TestCase("port: http", true)]
    [TestCase("port: 0", false)]
    [TestCase("port: ''", false)]
    public void IntOrString_IsSeenAsIntOrString(string obj, bool valid)
    {
        const string schema = """
            type: object
            properties:
              port:
                x-kubernetes-int-or-string: true
                x-kubernetes-validations: [{rule: 'type(self) == int ? self > 0 : self.size() > 0'}]
            """;

        Assert.That(Validate(schema, obj), valid ? Is.Empty : Is.Not.Empty);
    }

    [Test]
    public void RootRule_SeesMetadataName()
    {
        const string schema = """
            type: object
            properties: {metadata: {type: object}}
            x-kubernetes-validations: [{rule: 'self.metadata.name.size() <= 5', message: name too long}]
            """;

        var error = Single(schema, "metadata: {name: much-too-long, labels: {a: b}}");

        Assert.That(error.Message, Is.EqualTo("Invalid value: \"object\": name too long"));
    }

    [Test]
    public void RootRule_DoesNotSeeOtherMetadata()
    {
        const string schema = """
            type: object
            properties: {metadata: {type: object}}
            x-kubernetes-validations: [{rule: '!has(self.metadata.labels)'}]
            """;

        Assert.That(Validate(schema, "metadata: {name: x, labels: {a: b}}"), Is.Empty);
    }

    private const string Immutable = """
        type: object
        properties:
          spec:
            type: object
            properties:
              model:
                type: string
                x-kubernetes-validations: [{rule: 'self == oldSelf', message: model is immutable}]
              endpoints:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    port: {type: integer, x-kubernetes-validations: [{rule: 'self >= oldSelf', message: port may only grow}]}
        """;

    [Test]
    public void TransitionRule_OnCreate_IsSkipped()
    {
        Assert.That(Validate(Immutable, "spec: {model: a}"), Is.Empty);
    }

    [Test]
    public void TransitionRule_OnUpdate_RefusesAChange()
    {
        var error = Single(Immutable, "spec: {model: b}", old: "spec: {model: a}");

        Assert.That(error.ToString(), Is.EqualTo("spec.model: Invalid value: \"string\": model is immutable"));
    }

    [Test]
    public void TransitionRule_OnUpdateWithoutOldValue_IsSkipped()
    {
        Assert.That(Validate(Immutable, "spec: {model: b}", old: "spec: {}"), Is.Empty);
    }

    [Test]
    public void TransitionRule_InMapList_ComparesItemsWithTheSameKey()
    {
        var errors = Validate(Immutable,
            "spec: {endpoints: [{name: b, port: 90}, {name: a, port: 70}, {name: c, port: 1}]}",
            old: "spec: {endpoints: [{name: a, port: 80}, {name: b, port: 90}]}");

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[] { "spec.endpoints[1].port: Invalid value: \"integer\": port may only grow" }));
    }

    [Test]
    public void RuntimeError_MissingKey_IsAFieldErrorNotAnException()
    {
        var error = Single(Rule("'self.s == \"x\"'"), "a: 1");

        Assert.That(error.Type, Is.EqualTo(FieldErrorType.Invalid));
        Assert.That(error.Message, Is.EqualTo("Invalid value: \"object\": no such key: s evaluating rule: self.s == \"x\""));
    }

    [Test]
    public void RuntimeError_DivisionByZero_IsAFieldError()
    {
        var error = Single(Rule("'10 / self.a > 1'"), "a: 0");

        Assert.That(error.Message, Is.EqualTo("Invalid value: \"object\": division by zero evaluating rule: 10 / self.a > 1"));
    }

    [Test]
    public void RuntimeError_InLibraryFunction_IsAFieldError()
    {
        var error = Single(Rule("'self.s.substring(5) == \"\"'"), "s: abc");

        Assert.That(error.Message, Is.EqualTo("Invalid value: \"object\": index out of range: 5 evaluating rule: self.s.substring(5) == \"\""));
    }

    [Test]
    public void RuntimeError_WrongArgumentType_IsNoSuchOverload()
    {
        var error = Single(Rule("'self.a.startsWith(\"x\")'"), "a: 1");

        Assert.That(error.Message, Does.StartWith("Invalid value: \"object\": 'no such overload'"));
    }

    [Test]
    public void SchemaErrorsThatBlock_SkipTheRulesAndSaySo()
    {
        var errors = Validate(Autoscaling, "spec: {autoscaling: {minReplicas: many, maxReplicas: 2}}");

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.autoscaling.minReplicas: Invalid value: \"string\": spec.autoscaling.minReplicas in body must be of type integer: \"string\"",
            "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
        }));
    }

    [TestCase("self.items.all(i, i > 0)")]
    [TestCase("self.items.exists(i, i == 2)")]
    [TestCase("self.items.exists_one(i, i == 3)")]
    [TestCase("self.items.map(i, i * 2) == [2, 4, 6]")]
    [TestCase("self.items.filter(i, i > 1).size() == 2")]
    [TestCase("size(self.items) == 3 && self.items.size() + 1 == 4")]
    [TestCase("self.name.matches('^[a-z]+$') && self.name.startsWith('we') && self.name.endsWith('eb') && self.name.contains('e')")]
    [TestCase("2 in self.items && 'app' in self.labels")]
    [TestCase("self.labels.all(k, k.size() == 3) && self.labels['app'] == 'x'")]
    public void CoreCel_MacrosAndFunctions(string rule)
    {
        var schema = $$$"""
            type: object
            properties:
              items: {type: array, items: {type: integer}}
              name: {type: string}
              labels: {type: object, additionalProperties: {type: string}}
            x-kubernetes-validations: [{rule: "{{{rule}}}"}]
            """;

        Assert.That(Validate(schema, "items: [1, 2, 3]\nname: web\nlabels: {app: x}"), Is.Empty);
    }

    [Test]
    public void Rule_CompiledOnceServesManyObjects()
    {
        var schema = TestYaml.Compile(Rule("'self.a % 2 == 0'"));

        var failures = Enumerable.Range(0, 10).Count(i => schema.Validate(TestYaml.Parse($"a: {i}")).Count > 0);

        Assert.That(failures, Is.EqualTo(5));
    }

    [Test]
    public void Validate_ConcurrentCalls_EachGetTheirOwnResult()
    {
        var schema = TestYaml.Compile(Autoscaling);
        var good = TestYaml.Parse("spec: {autoscaling: {minReplicas: 1, maxReplicas: 2}}");
        var bad = TestYaml.Parse("spec: {autoscaling: {minReplicas: 3, maxReplicas: 2}}");

        var counts = new int[400];
        Parallel.For(0, counts.Length, i => counts[i] = schema.Validate(i % 2 == 0 ? good : bad).Count);

        Assert.That(counts.Where((c, i) => c != i % 2), Is.Empty);
    }
}
