using Serval.LocalCluster.Resources;

namespace Serval.LocalCluster.Objects;

/// <summary>The query options every write carries: fieldManager, dryRun, fieldValidation, force (apply), and who asked.</summary>
internal sealed record WriteOptions(string? FieldManager, string? UserAgent, bool DryRun, FieldValidation FieldValidation, bool Force)
{
    public static WriteOptions Internal(string manager) => new(manager, manager, false, FieldValidation.Ignore, Force: true);

    public string Manager => FieldManager ?? Apply.ManagedFields.ManagerFromUserAgent(UserAgent);
}
