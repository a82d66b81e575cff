using System.Text.Json.Nodes;
using Serval.LocalCluster.Admission;

namespace Serval.LocalCluster.Tests.Admission;

public sealed class SchemaKeywordTests
{
    private static IReadOnlyList<FieldError> Validate(string schema, string obj) =>
        TestYaml.Compile(schema).Validate(TestYaml.Parse(obj));

    private static FieldError Single(string schema, string obj)
    {
        var errors = Validate(schema, obj);
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        return errors[0];
    }

    private const string Autoscaling = """
        type: object
        properties:
          spec:
            type: object
            properties:
              autoscaling:
                type: object
                properties:
                  minReplicas: {type: integer, format: int32, minimum: 1}
                  maxReplicas: {type: integer, maximum: 1000000, exclusiveMaximum: true}
                  target: {type: number, exclusiveMinimum: true, minimum: 0}
                  step: {type: integer, multipleOf: 5}
        """;

    [Test]
    public void Minimum_ValueBelow_ReportsFieldAndMessageAsKubeApiserver()
    {
        var error = Single(Autoscaling, "spec: {autoscaling: {minReplicas: 0}}");

        Assert.That(error.Field, Is.EqualTo("spec.autoscaling.minReplicas"));
        Assert.That(error.Message, Is.EqualTo("Invalid value: 0: spec.autoscaling.minReplicas in body should be greater than or equal to 1"));
        Assert.That(error.Reason, Is.EqualTo("FieldValueInvalid"));
        Assert.That(error.BadValue, Is.EqualTo("0"));
    }

    [Test]
    public void ExclusiveMaximum_ValueEqual_PrintsLimitAsGoFloat()
    {
        var error = Single(Autoscaling, "spec: {autoscaling: {maxReplicas: 1000000}}");

        Assert.That(error.Message, Is.EqualTo("Invalid value: 1000000: spec.autoscaling.maxReplicas in body should be less than 1e+06"));
    }

    [Test]
    public void ExclusiveMinimum_ValueEqual_IsRefused()
    {
        var error = Single(Autoscaling, "spec: {autoscaling: {target: 0}}");

        Assert.That(error.Message, Is.EqualTo("Invalid value: 0: spec.autoscaling.target in body should be greater than 0"));
    }

    [Test]
    public void MultipleOf_ValueNotMultiple_IsRefused()
    {
        var error = Single(Autoscaling, "spec: {autoscaling: {step: 7}}");

        Assert.That(error.Message, Is.EqualTo("Invalid value: 7: spec.autoscaling.step in body should be a multiple of 5"));
    }

    [Test]
    public void Type_StringForInteger_IsTypeInvalid()
    {
        var error = Single(Autoscaling, "spec: {autoscaling: {minReplicas: two}}");

        Assert.That(error.Type, Is.EqualTo(FieldErrorType.TypeInvalid));
        Assert.That(error.Message, Is.EqualTo("Invalid value: \"string\": spec.autoscaling.minReplicas in body must be of type integer: \"string\""));
        Assert.That(error.Reason, Is.EqualTo("FieldValueTypeInvalid"));
    }

    [Test]
    public void Type_IntegralFloatForInteger_IsAccepted()
    {
        Assert.That(Validate(Autoscaling, """{"spec": {"autoscaling": {"minReplicas": 2.0}}}"""), Is.Empty);
    }

    [Test]
    public void Type_FractionForInteger_IsRefused()
    {
        var error = Single(Autoscaling, """{"spec": {"autoscaling": {"minReplicas": 2.5}}}""");

        Assert.That(error.Message, Does.EndWith("must be of type integer: \"number\""));
    }

    [Test]
    public void Type_IntegerForNumber_IsAccepted()
    {
        Assert.That(Validate(Autoscaling, "spec: {autoscaling: {target: 3}}"), Is.Empty);
    }

    [Test]
    public void Type_ObjectForString_IsRefused()
    {
        var error = Single("type: object\nproperties: {name: {type: string}}", "name: {a: 1}");

        Assert.That(error.Message, Is.EqualTo("Invalid value: \"object\": name in body must be of type string: \"object\""));
    }

    [Test]
    public void Type_BooleanForArray_IsRefused()
    {
        var error = Single("type: object\nproperties: {list: {type: array, items: {type: string}}}", "list: true");

        Assert.That(error.Message, Is.EqualTo("Invalid value: \"boolean\": list in body must be of type array: \"boolean\""));
    }

    [Test]
    public void Format_Int32Overflow_IsRefused()
    {
        var error = Single(Autoscaling, "spec: {autoscaling: {minReplicas: 3000000000}}");

        Assert.That(error.Message, Is.EqualTo("Invalid value: 3000000000: spec.autoscaling.minReplicas in body must be of type int32: \"3000000000\""));
    }

    [Test]
    public void Nullable_NullValue_IsAccepted()
    {
        Assert.That(Validate("type: object\nproperties: {note: {type: string, nullable: true}}", "note: null"), Is.Empty);
    }

    [Test]
    public void NotNullable_NullValue_IsRefused()
    {
        var error = Single("type: object\nproperties: {note: {type: string}}", "note: null");

        Assert.That(error.Message, Is.EqualTo("Invalid value: \"null\": note in body must be of type string: \"null\""));
    }

    [Test]
    public void Enum_ValueOutsideList_IsNotSupportedWithQuotedChoices()
    {
        var error = Single("type: object\nproperties: {executionProvider: {type: string, enum: [Auto, Cpu, Cuda]}}", "executionProvider: Foo");

        Assert.That(error.Field, Is.EqualTo("executionProvider"));
        Assert.That(error.Type, Is.EqualTo(FieldErrorType.NotSupported));
        Assert.That(error.Message, Is.EqualTo("Unsupported value: \"Foo\": supported values: \"Auto\", \"Cpu\", \"Cuda\""));
    }

    [Test]
    public void Enum_IntegerValues_ListsThemAsJson()
    {
        var error = Single("type: object\nproperties: {size: {type: integer, enum: [1, 2]}}", "size: 3");

        Assert.That(error.Message, Is.EqualTo("Unsupported value: 3: supported values: \"1\", \"2\""));
    }

    [Test]
    public void Pattern_Mismatch_QuotesThePattern()
    {
        var error = Single("type: object\nproperties: {sha256: {type: string, pattern: '^[a-f0-9]{64}$'}}", "sha256: xyz");

        Assert.That(error.Message, Is.EqualTo("Invalid value: \"xyz\": sha256 in body should match '^[a-f0-9]{64}$'"));
    }

    [Test]
    public void MinLength_TooShort_IsInvalid()
    {
        var error = Single("type: object\nproperties: {name: {type: string, minLength: 3}}", "name: ab");

        Assert.That(error.Message, Is.EqualTo("Invalid value: \"ab\": name in body should be at least 3 chars long"));
    }

    [Test]
    public void MaxLength_TooLong_IsTooLongWithoutTheValue()
    {
        var error = Single("type: object\nproperties: {name: {type: string, maxLength: 3}}", "name: abcd");

        Assert.That(error.Type, Is.EqualTo(FieldErrorType.TooLong));
        Assert.That(error.Message, Is.EqualTo("Too long: may not be more than 3 bytes"));
    }

    [Test]
    public void MaxLength_CountsCharactersNotBytes()
    {
        Assert.That(Validate("type: object\nproperties: {name: {type: string, maxLength: 3}}", "name: héé"), Is.Empty);
    }

    [Test]
    public void MinItems_TooFew_IsInvalid()
    {
        var error = Single("type: object\nproperties: {steps: {type: array, minItems: 1, items: {type: integer}}}", "steps: []");

        Assert.That(error.Message, Is.EqualTo("Invalid value: 0: steps in body should have at least 1 items"));
    }

    [Test]
    public void MaxItems_TooMany_IsTooMany()
    {
        var error = Single("type: object\nproperties: {steps: {type: array, maxItems: 2, items: {type: integer}}}", "steps: [1, 2, 3]");

        Assert.That(error.Type, Is.EqualTo(FieldErrorType.TooMany));
        Assert.That(error.Message, Is.EqualTo("Too many: 3: must have at most 2 items"));
    }

    [Test]
    public void MinProperties_TooFew_IsInvalid()
    {
        var error = Single("type: object\nproperties: {sel: {type: object, minProperties: 1, additionalProperties: {type: string}}}", "sel: {}");

        Assert.That(error.Message, Is.EqualTo("Invalid value: 0: sel in body should have at least 1 properties"));
    }

    [Test]
    public void MaxProperties_TooMany_IsTooMany()
    {
        var error = Single("type: object\nproperties: {sel: {type: object, maxProperties: 1, additionalProperties: {type: string}}}", "sel: {a: x, b: y}");

        Assert.That(error.Message, Is.EqualTo("Too many: 2: must have at most 1 items"));
    }

    [Test]
    public void Required_MissingField_IsRequiredValue()
    {
        var error = Single("type: object\nproperties: {spec: {type: object, required: [model], properties: {model: {type: object}}}}", "spec: {}");

        Assert.That(error.Field, Is.EqualTo("spec.model"));
        Assert.That(error.Message, Is.EqualTo("Required value"));
        Assert.That(error.Reason, Is.EqualTo("FieldValueRequired"));
    }

    [Test]
    public void Required_AtRoot_NamesTheField()
    {
        var error = Single("type: object\nrequired: [spec]\nproperties: {spec: {type: object}}", "{}");

        Assert.That(error.Field, Is.EqualTo("spec"));
    }

    [Test]
    public void Items_InvalidItem_NamesTheIndex()
    {
        var error = Single("type: object\nproperties: {steps: {type: array, items: {type: integer, maximum: 100}}}", "steps: [10, 200]");

        Assert.That(error.Field, Is.EqualTo("steps[1]"));
        Assert.That(error.Message, Is.EqualTo("Invalid value: 200: steps[1] in body should be less than or equal to 100"));
    }

    [Test]
    public void AdditionalProperties_InvalidValue_NamesTheKeyWithADot()
    {
        var error = Single("type: object\nproperties: {labels: {type: object, additionalProperties: {type: string}}}", "labels: {app: 5}");

        Assert.That(error.Field, Is.EqualTo("labels.app"));
        Assert.That(error.Message, Is.EqualTo("Invalid value: \"integer\": labels.app in body must be of type string: \"integer\""));
    }

    [TestCase("port: 8080")]
    [TestCase("port: http")]
    public void IntOrString_IntegerOrString_IsAccepted(string obj)
    {
        Assert.That(Validate("type: object\nproperties: {port: {x-kubernetes-int-or-string: true}}", obj), Is.Empty);
    }

    [Test]
    public void IntOrString_Boolean_IsRefused()
    {
        var error = Single("type: object\nproperties: {port: {x-kubernetes-int-or-string: true}}", "port: true");

        Assert.That(error.Type, Is.EqualTo(FieldErrorType.TypeInvalid));
    }

    [Test]
    public void IntOrString_AnyOfBranches_ApplyTheirOwnLimits()
    {
        const string schema = """
            type: object
            properties:
              maxSurge:
                x-kubernetes-int-or-string: true
                anyOf: [{type: integer, minimum: 0}, {type: string, pattern: '^[0-9]+%$'}]
            """;

        var error = Single(schema, "maxSurge: lots");

        Assert.That(error.Message, Is.EqualTo("Invalid value: \"lots\": maxSurge in body must validate at least one schema (anyOf)"));
    }

    [Test]
    public void PreserveUnknownFields_UnknownFieldsAreNotValidated()
    {
        Assert.That(Validate("type: object\nproperties: {config: {type: object, x-kubernetes-preserve-unknown-fields: true}}", "config: {anything: [1, {b: c}]}"), Is.Empty);
    }

    [Test]
    public void Metadata_AtRoot_IsLeftToTheApiServer()
    {
        const string schema = "type: object\nproperties: {metadata: {type: object}, spec: {type: object}}";

        Assert.That(Validate(schema, "metadata: {name: x, labels: {a: b}, annotations: {c: d}, finalizers: [f]}"), Is.Empty);
    }

    [Test]
    public void EmbeddedResource_WithoutKind_IsRequired()
    {
        const string schema = """
            type: object
            properties:
              template:
                type: object
                x-kubernetes-embedded-resource: true
                x-kubernetes-preserve-unknown-fields: true
            """;

        var error = Single(schema, "template: {apiVersion: v1, metadata: {name: x}}");

        Assert.That(error.Field, Is.EqualTo("template.kind"));
        Assert.That(error.Message, Is.EqualTo("Required value: must not be empty"));
    }

    [TestCase("date-time", "2024-05-01T10:00:00Z")]
    [TestCase("date-time", "2024-05-01T10:00:00.123+02:00")]
    [TestCase("date", "2024-05-01")]
    [TestCase("byte", "aGVsbG8=")]
    [TestCase("uri", "https://example.com/m.onnx")]
    [TestCase("int64", "anything")]
    public void Format_ValidString_IsAccepted(string format, string value)
    {
        var schema = TestYaml.Compile($"type: object\nproperties: {{v: {{type: string, format: {format}}}}}");

        Assert.That(schema.Validate(new JsonObject { ["v"] = value }), Is.Empty);
    }

    [TestCase("date-time", "yesterday")]
    [TestCase("date", "2024-13-01")]
    [TestCase("byte", "not base64!")]
    [TestCase("uri", "bad%zzescape")]
    public void Format_InvalidString_IsTypeInvalid(string format, string value)
    {
        var schema = TestYaml.Compile($"type: object\nproperties: {{v: {{type: string, format: {format}}}}}");

        var errors = schema.Validate(new JsonObject { ["v"] = value });

        Assert.That(errors.Select(e => e.Message), Is.EqualTo(new[] { $"Invalid value: \"{value}\": v in body must be of type {format}: \"{value}\"" }));
    }

    [Test]
    public void Message_StringWithQuotesAndNewline_IsGoQuoted()
    {
        var error = Single("type: object\nproperties: {v: {type: string, enum: [a]}}", """{"v": "say \"hi\"\n"}""");

        Assert.That(error.Message, Does.StartWith("Unsupported value: \"say \\\"hi\\\"\\n\":"));
    }

    [Test]
    public void ToString_JoinsFieldAndMessage()
    {
        var error = Single(Autoscaling, "spec: {autoscaling: {minReplicas: 0}}");

        Assert.That(error.ToString(), Is.EqualTo("spec.autoscaling.minReplicas: Invalid value: 0: spec.autoscaling.minReplicas in body should be greater than or equal to 1"));
    }
}
