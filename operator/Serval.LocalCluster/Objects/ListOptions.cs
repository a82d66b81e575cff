using Serval.LocalCluster.Selectors;

namespace Serval.LocalCluster.Objects;

/// <summary>Selection and paging of a list or watch.</summary>
internal sealed record ListOptions(LabelSelector Labels, FieldSelector Fields, int? Limit, string? Continue)
{
    public static ListOptions All { get; } = new(LabelSelector.Everything, FieldSelector.Everything, null, null);
}
