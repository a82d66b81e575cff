namespace Serval.LocalCluster.Tables;

/// <summary>The includeObject query parameter of Table requests.</summary>
internal enum TableIncludeObject
{
    None,
    Metadata,
    Object,
}
