namespace Serval.Api.Schema;

/// <summary>The field must be present. Becomes the schema's <c>required</c> list and a "Required value" error.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;
