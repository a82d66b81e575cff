using Serval.LocalCluster.Admission;

namespace Serval.LocalCluster.Tests.Admission;

public sealed class CompileTests
{
    private static SchemaCompileException Refused(string schema) =>
        Assert.Throws<SchemaCompileException>(() => TestYaml.Compile(schema))!;

    [Test]
    public void MissingType_IsNotStructuralAndNamesThePath()
    {
        var ex = Refused("type: object\nproperties: {spec: {properties: {a: {type: string}}}}");

        Assert.That(ex.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields",
        }));
    }

    [Test]
    public void RootNotObject_IsRefused()
    {
        var ex = Refused("type: string");

        Assert.That(ex.Errors.Single().ToString(), Is.EqualTo("openAPIV3Schema.type: Invalid value: \"string\": must be object at the root"));
    }

    [Test]
    public void Ref_IsForbidden()
    {
        var ex = Refused("type: object\nproperties: {a: {$ref: '#/definitions/x'}}");

        Assert.That(ex.Errors.Select(e => e.Field), Does.Contain("openAPIV3Schema.properties[a].$ref"));
    }

    [Test]
    public void UniqueItems_IsForbidden()
    {
        var ex = Refused("type: object\nproperties: {a: {type: array, uniqueItems: true, items: {type: string}}}");

        Assert.That(ex.Errors.Single().Message, Is.EqualTo("Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
    }

    [Test]
    public void PropertiesWithAdditionalProperties_IsForbidden()
    {
        var ex = Refused("type: object\nproperties: {a: {type: object, properties: {b: {type: string}}, additionalProperties: {type: string}}}");

        Assert.That(ex.Errors.Single().Field, Is.EqualTo("openAPIV3Schema.properties[a].additionalProperties"));
    }

    [Test]
    public void ArrayWithoutItems_IsRefused()
    {
        var ex = Refused("type: object\nproperties: {a: {type: array}}");

        Assert.That(ex.Errors.Single().ToString(), Is.EqualTo("openAPIV3Schema.properties[a].items: Required value: must be specified"));
    }

    [Test]
    public void MapListWithoutKeys_IsRefused()
    {
        var ex = Refused("type: object\nproperties: {a: {type: array, x-kubernetes-list-type: map, items: {type: object, properties: {name: {type: string}}}}}");

        Assert.That(ex.Errors.Single().Field, Is.EqualTo("openAPIV3Schema.properties[a].x-kubernetes-list-map-keys"));
    }

    [Test]
    public void MapListKeyNotRequiredNorDefaulted_IsRefused()
    {
        var ex = Refused("""
            type: object
            properties:
              a: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name], items: {type: object, properties: {name: {type: string}}}}
            """);

        Assert.That(ex.Errors.Single().Field, Is.EqualTo("openAPIV3Schema.properties[a].items.properties[name]"));
    }

    [Test]
    public void UnknownListType_IsNotSupported()
    {
        var ex = Refused("type: object\nproperties: {a: {type: array, x-kubernetes-list-type: bag, items: {type: string}}}");

        Assert.That(ex.Errors.Single().Message, Is.EqualTo("Unsupported value: \"bag\": supported values: \"atomic\", \"set\", \"map\""));
    }

    [Test]
    public void InvalidPattern_IsRefused()
    {
        var ex = Refused("type: object\nproperties: {a: {type: string, pattern: '(unclosed'}}");

        Assert.That(ex.Errors.Single().Field, Is.EqualTo("openAPIV3Schema.properties[a].pattern"));
    }

    [Test]
    public void MetadataBeyondNameAndGenerateName_IsForbidden()
    {
        var ex = Refused("type: object\nproperties: {metadata: {type: object, properties: {labels: {type: object}}}}");

        Assert.That(ex.Errors.Select(e => e.Field), Does.Contain("openAPIV3Schema.properties[metadata]"));
    }

    [Test]
    public void DefaultOfWrongType_IsRefused()
    {
        var ex = Refused("type: object\nproperties: {replicas: {type: integer, default: many}}");

        Assert.That(ex.Errors.Single().ToString(), Is.EqualTo(
            "openAPIV3Schema.properties[replicas].default: Invalid value: \"string\":  in body must be of type integer: \"string\""));
    }

    [Test]
    public void DefaultWithUnknownField_IsRefused()
    {
        var ex = Refused("type: object\nproperties: {runtime: {type: object, default: {threads: 1}, properties: {image: {type: string}}}}");

        Assert.That(ex.Errors.Single().Message, Does.EndWith("must not have unknown fields: threads"));
    }

    [Test]
    public void RuleWithSyntaxError_IsRefusedAtCompile()
    {
        var ex = Refused("type: object\nx-kubernetes-validations: [{rule: 'self.a >'}]");

        Assert.That(ex.Errors.Single().Field, Is.EqualTo("openAPIV3Schema.x-kubernetes-validations[0].rule"));
        Assert.That(ex.Errors.Single().Message, Does.StartWith("Invalid value: \"self.a >\": compilation failed: "));
    }

    [Test]
    public void RuleWithUnknownFunction_IsRefusedAtCompile()
    {
        var ex = Refused("type: object\nx-kubernetes-validations: [{rule: 'self.name.shout() == \"A\"'}]");

        Assert.That(ex.Errors.Single().Message, Does.EndWith("undeclared reference to 'shout' (in container '')"));
    }

    [Test]
    public void RuleWithUnknownVariable_IsRefusedAtCompile()
    {
        var ex = Refused("type: object\nx-kubernetes-validations: [{rule: 'object.a == 1'}]");

        Assert.That(ex.Errors.Single().Message, Does.EndWith("undeclared reference to 'object' (in container '')"));
    }

    [Test]
    public void RuleWithThreeArgumentMap_IsRefusedAtCompile()
    {
        var ex = Refused("type: object\nx-kubernetes-validations: [{rule: 'self.items.map(i, i > 1, i * 2).size() > 0'}]");

        Assert.That(ex.Errors.Single().Message, Does.Contain("three-argument form of map() is not supported"));
    }

    [Test]
    public void MessageExpressionThatDoesNotCompile_IsRefused()
    {
        var ex = Refused("type: object\nx-kubernetes-validations: [{rule: 'true', messageExpression: '\"x\" +'}]");

        Assert.That(ex.Errors.Single().Field, Is.EqualTo("openAPIV3Schema.x-kubernetes-validations[0].messageExpression"));
    }

    [Test]
    public void UnknownReason_IsNotSupported()
    {
        var ex = Refused("type: object\nx-kubernetes-validations: [{rule: 'true', reason: FieldValueWrong}]");

        Assert.That(ex.Errors.Single().Message, Is.EqualTo(
            "Unsupported value: \"FieldValueWrong\": supported values: \"FieldValueInvalid\", \"FieldValueForbidden\", \"FieldValueRequired\", \"FieldValueDuplicate\""));
    }

    [Test]
    public void FieldPathToUnknownField_IsRefused()
    {
        var ex = Refused("type: object\nproperties: {a: {type: integer}}\nx-kubernetes-validations: [{rule: 'true', fieldPath: '.b'}]");

        Assert.That(ex.Errors.Single().Field, Is.EqualTo("openAPIV3Schema.x-kubernetes-validations[0].fieldPath"));
    }

    [Test]
    public void MessageWithLineBreak_IsRefused()
    {
        var ex = Refused("type: object\nx-kubernetes-validations: [{rule: 'true', message: \"two\\nlines\"}]");

        Assert.That(ex.Errors.Single().Message, Does.EndWith("message must not contain line breaks"));
    }

    [Test]
    public void TransitionRuleInsideSetList_IsRefused()
    {
        var ex = Refused("""
            type: object
            properties:
              tags:
                type: array
                x-kubernetes-list-type: set
                items: {type: string, x-kubernetes-validations: [{rule: 'self == oldSelf'}]}
            """);

        Assert.That(ex.Errors.Single().Message, Does.Contain("oldSelf cannot be used on the uncorrelatable portion of the schema"));
    }

    [Test]
    public void EveryProblem_IsReportedTogether()
    {
        var ex = Refused("type: object\nproperties: {a: {}, b: {type: array}, c: {type: string, x-kubernetes-validations: [{rule: 'nope('}]}}");

        Assert.That(ex.Errors, Has.Count.EqualTo(3));
        Assert.That(ex.Message, Does.Contain("openAPIV3Schema.properties[a].type"));
    }

    [Test]
    public void HttpRouteCrd_Compiles()
    {
        var schema = TestYaml.Compile(TestYaml.File("httproute-v1-schema.yaml"));

        Assert.That(schema.HasValidationRules, Is.True);
    }
}
