namespace Serval.Controllers.Cache;

/// <summary>One clause of a label selector, e.g. <c>tier in (web, api)</c>.</summary>
public sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IDictionary<string, string>? labels)
    {
        string? value = null;
        var has = labels is not null && labels.TryGetValue(Key, out value);
        return Operator switch
        {
            LabelOperator.Equal => has && value == Values[0],
            LabelOperator.NotEqual => !has || value != Values[0],
            LabelOperator.In => has && Values.Contains(value!),
            LabelOperator.NotIn => !has || !Values.Contains(value!),
            LabelOperator.Exists => has,
            LabelOperator.DoesNotExist => !has,
            _ => false,
        };
    }

    public override string ToString() => Operator switch
    {
        LabelOperator.Equal => $"{Key}={Values[0]}",
        LabelOperator.NotEqual => $"{Key}!={Values[0]}",
        LabelOperator.In => $"{Key} in ({string.Join(",", Values)})",
        LabelOperator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
        LabelOperator.Exists => Key,
        LabelOperator.DoesNotExist => $"!{Key}",
        _ => Key,
    };
}
