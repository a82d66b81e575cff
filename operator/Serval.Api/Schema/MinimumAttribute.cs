namespace Serval.Api.Schema;

/// <summary>The smallest number allowed (inclusive unless <see cref="Exclusive"/>).</summary>
/// <param name="value">The bound.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(double value) : Attribute
{
    /// <summary>The bound.</summary>
    public double Value { get; } = value;

    /// <summary>When true the bound itself is refused (the value must be greater than it).</summary>
    public bool Exclusive { get; init; }

    /// <summary>When true the bound applies to each list item or map value rather than to the field.</summary>
    public bool Items { get; init; }
}
