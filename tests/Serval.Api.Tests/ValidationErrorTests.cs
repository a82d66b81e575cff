using Serval.Api.Schema;

namespace Serval.Api.Tests;

public sealed class ValidationErrorTests
{
    [Test]
    public void ToString_Invalid_QuotesAStringValue()
    {
        var error = new ValidationError("spec.model.name", ValidationErrorKind.Invalid, "my model", "bad");

        Assert.That(error.ToString(), Is.EqualTo("spec.model.name: Invalid value: \"my model\": bad"));
    }

    [Test]
    public void ToString_RuleOnAnObject_PrintsTheObjectTypeAsTheApiServerDoes()
    {
        var error = new ValidationError("spec.resources.limits", ValidationErrorKind.Invalid, null, "GPU limits must be whole");

        Assert.That(error.ToString(), Is.EqualTo("spec.resources.limits: Invalid value: \"object\": GPU limits must be whole"));
    }

    [Test]
    public void ToString_RequiredWithoutDetail_EndsAfterTheKind()
    {
        Assert.That(new ValidationError("spec.model", ValidationErrorKind.Required, null, "").ToString(), Is.EqualTo("spec.model: Required value"));
    }

    [Test]
    public void ToString_NotSupported_PrintsValueAndSupportedValues()
    {
        var error = new ValidationError("spec.runtime.executionProvider", ValidationErrorKind.NotSupported, "Gpu", "supported values: \"Auto\"");

        Assert.That(error.ToString(), Is.EqualTo("spec.runtime.executionProvider: Unsupported value: \"Gpu\": supported values: \"Auto\""));
    }

    [TestCase(1d, "1")]
    [TestCase(99d, "99")]
    [TestCase(0.5, "0.5")]
    [TestCase(100_000d, "100000")]
    [TestCase(1_000_000d, "1e+06")]
    [TestCase(16_777_216d, "1.6777216e+07")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(0.00001, "1e-05")]
    [TestCase(-2.5, "-2.5")]
    public void GoFloat_Format_MatchesGoPercentV(double value, string expected)
    {
        Assert.That(GoFloat.Format(value), Is.EqualTo(expected));
    }
}
