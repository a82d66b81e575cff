namespace Serval.LocalCluster.Apply;

/// <summary>One metadata.managedFields entry: who set which fields, by apply or by update, through which subresource.</summary>
internal sealed record ManagedFieldsEntry(string Manager, string Operation, string ApiVersion, string Time, string? Subresource, FieldSet Fields);
