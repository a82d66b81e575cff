namespace Serval.Controllers.Cache;

/// <summary>The operators of Kubernetes label selectors.</summary>
public enum LabelOperator
{
    Equal,
    NotEqual,
    In,
    NotIn,
    Exists,
    DoesNotExist,
}
