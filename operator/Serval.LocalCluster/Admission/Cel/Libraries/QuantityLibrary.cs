using Cel;

namespace Serval.LocalCluster.Admission.Cel.Libraries;

/// <summary>
/// Kubernetes' CEL quantity library: quantity, isQuantity, isInteger, asInteger, asApproximateFloat, sign,
/// compareTo, isGreaterThan, isLessThan, add, sub.
/// </summary>
internal static class QuantityLibrary
{
    public static readonly string[] Names =
    [
        "quantity", "isQuantity", "isInteger", "asInteger", "asApproximateFloat", "sign", "compareTo",
        "isGreaterThan", "isLessThan", "add", "sub",
    ];

    public static void Register(CelEnvironment env)
    {
        var q = typeof(Quantity);
        var i = typeof(long);
        env.RegisterFunction("quantity", [typeof(string)], a => Parse(CelArgs.Str(a[0])));
        env.RegisterFunction("isQuantity", [typeof(string)], a => Quantity.TryParse(CelArgs.Str(a[0]), out _));
        env.RegisterFunction("isInteger", [q], a => Q(a[0]).IsInteger);
        env.RegisterFunction("asInteger", [q], a => AsInteger(Q(a[0])));
        env.RegisterFunction("asApproximateFloat", [q], a => (double)Q(a[0]).Value);
        env.RegisterFunction("sign", [q], a => (long)Math.Sign(Q(a[0]).Value));
        env.RegisterFunction("compareTo", [q, q], a => (long)Math.Sign(Q(a[0]).CompareTo(Q(a[1]))));
        env.RegisterFunction("isGreaterThan", [q, q], a => Q(a[0]).CompareTo(Q(a[1])) > 0);
        env.RegisterFunction("isLessThan", [q, q], a => Q(a[0]).CompareTo(Q(a[1])) < 0);
        env.RegisterFunction("add", [q, q], a => Arithmetic(Q(a[0]).Value, Q(a[1]).Value, 1));
        env.RegisterFunction("add", [q, i], a => Arithmetic(Q(a[0]).Value, CelArgs.Int(a[1]), 1));
        env.RegisterFunction("sub", [q, q], a => Arithmetic(Q(a[0]).Value, Q(a[1]).Value, -1));
        env.RegisterFunction("sub", [q, i], a => Arithmetic(Q(a[0]).Value, CelArgs.Int(a[1]), -1));
    }

    private static Quantity Q(object? value) =>
        value as Quantity ?? throw new CelEvaluationException($"no such overload: expected kubernetes.Quantity, got {CelArgs.TypeName(value)}");

    private static Quantity Parse(string text) =>
        Quantity.TryParse(text, out var quantity)
            ? quantity!
            : throw new CelEvaluationException($"quantities must match the regular expression '{Quantity.Pattern}'");

    private static long AsInteger(Quantity quantity) =>
        quantity.IsInteger ? (long)quantity.Value : throw new CelEvaluationException("cannot convert value to integer");

    private static Quantity Arithmetic(decimal a, decimal b, int sign)
    {
        try
        {
            return new Quantity(sign > 0 ? a + b : a - b);
        }
        catch (OverflowException ex)
        {
            throw new CelEvaluationException("quantity overflow", ex);
        }
    }
}
