namespace Serval.Api.Schema;

/// <summary>
/// A regular expression the whole string must match. Written in the common subset of RE2 and .NET regular
/// expressions, because the API server and <see cref="V1Alpha1.InferenceService.Validate"/> both run it.
/// </summary>
/// <param name="regex">The expression, anchored with ^ and $.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string regex) : Attribute
{
    /// <summary>The expression.</summary>
    public string Regex { get; } = regex;

    /// <summary>When true the pattern applies to each list item or map value rather than to the field.</summary>
    public bool Items { get; init; }
}
