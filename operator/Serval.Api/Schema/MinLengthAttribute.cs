namespace Serval.Api.Schema;

/// <summary>The shortest string allowed, in characters.</summary>
/// <param name="value">The bound.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinLengthAttribute(long value) : Attribute
{
    /// <summary>The bound.</summary>
    public long Value { get; } = value;
}
