namespace Serval.Api.Schema;

/// <summary>The largest number allowed (inclusive).</summary>
/// <param name="value">The bound.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaximumAttribute(double value) : Attribute
{
    /// <summary>The bound.</summary>
    public double Value { get; } = value;

    /// <summary>When true the bound applies to each list item or map value rather than to the field.</summary>
    public bool Items { get; init; }
}
