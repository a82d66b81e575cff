using Serval.LocalCluster.Admission;

namespace Serval.Api.Tests;

/// <summary>
/// The generated schema and its CEL rules, run by the same validator the embedded API server uses, agree with
/// <see cref="V1Alpha1.InferenceService.Validate"/> on every sample.
/// </summary>
public sealed class SchemaAgreementTests
{
    // The API server adds this line whenever schema errors stop the rules from running; it names no field.
    private const string RulesSkipped = "some validation rules were not checked";

    [TestCaseSource(typeof(Samples), nameof(Samples.Valid))]
    public void ValidSample_PassesTheSchemaAndItsRules(string file)
    {
        var document = Samples.ServiceDocument(Samples.ValidText(file));

        Assert.That(CrdSchema.Structural.Validate(document).Select(e => e.ToString()), Is.Empty);
    }

    [TestCaseSource(typeof(Samples), nameof(Samples.Valid))]
    public void ValidSample_HasNoFieldTheSchemaWouldPrune(string file)
    {
        var document = Samples.ServiceDocument(Samples.ValidText(file));

        Assert.That(CrdSchema.Structural.Prune(document), Is.Empty);
    }

    [TestCaseSource(typeof(Samples), nameof(Samples.Invalid))]
    public void InvalidSample_IsRefusedByTheSchemaWithItsMessage(string file)
    {
        var yaml = Samples.InvalidText(file);

        var errors = FieldErrorsOf(Samples.ServiceDocument(yaml));

        Assert.That(errors, Has.Count.EqualTo(1), () => string.Join("\n", errors));
        Assert.That(errors[0].Field, Is.EqualTo(Samples.Header(yaml, "field")));
        Assert.That(errors[0].ToString(), Does.Contain(Samples.Header(yaml, "expect")));
    }

    [TestCaseSource(typeof(Samples), nameof(Samples.Invalid))]
    public void InvalidSample_IsRefusedByBothValidatorsOnTheSameFieldWithTheSameKind(string file)
    {
        var yaml = Samples.InvalidText(file);

        var schema = FieldErrorsOf(Samples.ServiceDocument(yaml)).Select(e => (e.Field, Kind: e.Type.ToString()));
        var csharp = Samples.Service(yaml).Validate().Select(e => (e.Field, Kind: e.Kind.ToString()));

        Assert.That(csharp, Is.EquivalentTo(schema));
    }

    private static List<FieldError> FieldErrorsOf(System.Text.Json.Nodes.JsonObject document) =>
        [.. CrdSchema.Structural.Validate(document).Where(e => !e.Message.Contains(RulesSkipped, StringComparison.Ordinal))];
}
