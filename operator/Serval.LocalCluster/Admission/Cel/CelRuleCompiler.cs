using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cel;
using Cel.Internal;
using Serval.LocalCluster.Admission.Cel.Libraries;

namespace Serval.LocalCluster.Admission.Cel;

/// <summary>
/// Compiles CEL expressions for one schema against one environment holding the Kubernetes libraries
/// (lists, strings, regex, url, quantity) that the Cel package lacks.
/// </summary>
internal sealed class CelRuleCompiler
{
    private static readonly ImmutableHashSet<string> RuleVariables = ["self", "oldSelf"];

    private readonly CelEnvironment _environment;
    private readonly CelExpressionChecker _checker;

    public CelRuleCompiler()
    {
        _environment = new CelEnvironment(null, null);
        var regex = new RegexLibrary();
        ListsLibrary.Register(_environment);
        StringsLibrary.Register(_environment);
        regex.Register(_environment);
        UrlLibrary.Register(_environment);
        QuantityLibrary.Register(_environment);

        var builtIns = new ConcurrentDictionary<string, List<FunctionRegistration>>();
        CelFunctions.InitializeFunctions(builtIns);
        var functions = new HashSet<string>(builtIns.Keys, StringComparer.Ordinal);
        functions.UnionWith(ListsLibrary.Names);
        functions.UnionWith(StringsLibrary.Names);
        functions.UnionWith(RegexLibrary.Names);
        functions.UnionWith(UrlLibrary.Names);
        functions.UnionWith(QuantityLibrary.Names);
        _checker = new CelExpressionChecker(functions);
    }

    /// <summary>Compiles an expression over <c>self</c> and <c>oldSelf</c>; returns the error text instead when it cannot.</summary>
    public CompiledExpression? TryCompile(string expression, out string error)
    {
        error = string.Empty;
        CelProgramDelegate program;
        CelParser.StartContext tree;
        try
        {
            tree = _environment.Parse(expression);
            program = _environment.Compile(tree);
        }
        catch (CelException ex)
        {
            error = "ERROR: <input>: " + ex.Message;
            return null;
        }
        catch (ArgumentException ex)
        {
            error = "ERROR: <input>: " + ex.Message;
            return null;
        }

        var problem = _checker.Check(tree, RuleVariables, out var usesOldSelf);
        if (problem is not null)
        {
            error = problem;
            return null;
        }

        return new CompiledExpression(expression, program, usesOldSelf);
    }
}
