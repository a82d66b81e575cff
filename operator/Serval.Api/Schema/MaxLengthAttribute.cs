namespace Serval.Api.Schema;

/// <summary>
/// The longest string allowed, in characters. Every string a CEL rule reads has one, so that the API server can
/// bound the rule's cost.
/// </summary>
/// <param name="value">The bound.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(long value) : Attribute
{
    /// <summary>The bound.</summary>
    public long Value { get; } = value;

    /// <summary>When true the bound applies to each list item or map value rather than to the field.</summary>
    public bool Items { get; init; }
}
