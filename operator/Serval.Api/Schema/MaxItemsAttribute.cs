namespace Serval.Api.Schema;

/// <summary>The most list items (or map entries) allowed; also bounds the cost of CEL rules over the list.</summary>
/// <param name="value">The bound.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxItemsAttribute(long value) : Attribute
{
    /// <summary>The bound.</summary>
    public long Value { get; } = value;
}
