using System.Collections.Immutable;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Cel.Internal;

namespace Serval.LocalCluster.Admission.Cel;

/// <summary>
/// Static checks the Cel package leaves to run time: every function and variable a rule names must exist,
/// so that a misspelt rule is refused when the CRD is created rather than failing on every write.
/// Also finds whether a rule reads <c>oldSelf</c> (which makes it a transition rule).
/// </summary>
internal sealed class CelExpressionChecker
{
    private static readonly ImmutableHashSet<string> Macros = ["all", "exists", "exists_one", "map", "filter"];

    private static readonly ImmutableHashSet<string> TypeNames =
        ["int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type", "dyn"];

    private readonly IReadOnlySet<string> _functions;

    public CelExpressionChecker(IReadOnlySet<string> functions)
    {
        _functions = functions;
    }

    /// <summary>The first problem found in the parse tree, or null when the expression is well-formed.</summary>
    public string? Check(IParseTree tree, ImmutableHashSet<string> variables, out bool usesOldSelf)
    {
        var state = new CheckState();
        Walk(tree, variables, state);
        usesOldSelf = state.UsesOldSelf;
        return state.Error;
    }

    private void Walk(IParseTree node, ImmutableHashSet<string> scope, CheckState state)
    {
        if (state.Error is not null)
        {
            return;
        }

        switch (node)
        {
            case CelParser.MemberCallContext call:
                WalkMemberCall(call, scope, state);
                return;
            case CelParser.IdentOrGlobalCallContext ident:
                WalkIdent(ident, scope, state);
                return;
            case CelParser.CreateMessageContext message:
                state.Fail(message.Start, "message construction is not supported");
                return;
        }

        for (var i = 0; i < node.ChildCount; i++)
        {
            Walk(node.GetChild(i), scope, state);
        }
    }

    private void WalkMemberCall(CelParser.MemberCallContext call, ImmutableHashSet<string> scope, CheckState state)
    {
        var name = call.id.Text;
        var args = call.args?._e ?? [];
        Walk(call.member(), scope, state);
        if (Macros.Contains(name))
        {
            if (name == "map" && args.Count == 3)
            {
                state.Fail(call.id, "the three-argument form of map() is not supported");
                return;
            }

            if (args.Count != 2)
            {
                state.Fail(call.id, $"found no matching overload for '{name}' with {args.Count} arguments");
                return;
            }

            var variable = args[0].GetText();
            if (!IsIdentifier(variable))
            {
                state.Fail(args[0].Start, $"argument must be a simple name: {variable}");
                return;
            }

            Walk(args[1], scope.Add(variable), state);
            return;
        }

        if (!_functions.Contains(name))
        {
            state.Fail(call.id, $"undeclared reference to '{name}' (in container '')");
            return;
        }

        foreach (var arg in args)
        {
            Walk(arg, scope, state);
        }
    }

    private void WalkIdent(CelParser.IdentOrGlobalCallContext ident, ImmutableHashSet<string> scope, CheckState state)
    {
        var name = ident.id.Text;
        if (ident.op is null)
        {
            if (name == "oldSelf")
            {
                state.UsesOldSelf = true;
            }

            if (!scope.Contains(name) && !TypeNames.Contains(name))
            {
                state.Fail(ident.id, $"undeclared reference to '{name}' (in container '')");
            }

            return;
        }

        if (name != "has" && !_functions.Contains(name))
        {
            state.Fail(ident.id, $"undeclared reference to '{name}' (in container '')");
            return;
        }

        foreach (var arg in ident.args?._e ?? [])
        {
            Walk(arg, scope, state);
        }
    }

    private static bool IsIdentifier(string text) =>
        text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] == '_') && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private sealed class CheckState
    {
        public string? Error { get; private set; }

        public bool UsesOldSelf { get; set; }

        public void Fail(IToken token, string message) =>
            Error ??= $"ERROR: <input>:{token.Line}:{token.Column + 1}: {message}";
    }
}
