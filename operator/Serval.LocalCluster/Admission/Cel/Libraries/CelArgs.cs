namespace Serval.LocalCluster.Admission.Cel.Libraries;

/// <summary>Argument coercion shared by the library functions (the Cel package passes ints as long, sizes as int).</summary>
internal static class CelArgs
{
    public static long Int(object? value) => value switch
    {
        long l => l,
        int i => i,
        ulong u when u <= long.MaxValue => (long)u,
        _ => throw new CelEvaluationException($"no such overload: expected int, got {TypeName(value)}"),
    };

    public static string Str(object? value) =>
        value as string ?? throw new CelEvaluationException($"no such overload: expected string, got {TypeName(value)}");

    public static object?[] List(object? value) =>
        value as object?[] ?? throw new CelEvaluationException($"no such overload: expected list, got {TypeName(value)}");

    public static string TypeName(object? value) => value switch
    {
        null => "null_type",
        long or int => "int",
        ulong => "uint",
        double => "double",
        string => "string",
        bool => "bool",
        object?[] => "list",
        IDictionary<string, object?> => "map",
        Quantity => "kubernetes.Quantity",
        KubernetesUrl => "kubernetes.URL",
        _ => value.GetType().Name,
    };
}
