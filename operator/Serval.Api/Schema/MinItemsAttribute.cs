namespace Serval.Api.Schema;

/// <summary>The fewest list items allowed.</summary>
/// <param name="value">The bound.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinItemsAttribute(long value) : Attribute
{
    /// <summary>The bound.</summary>
    public long Value { get; } = value;
}
