namespace Serval.Operator.Commands;

internal static class CrdsCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        _ = args;
        _ = stdout;
        stderr.WriteLine("serval-operator crds: the CRD generator is not built yet");
        return 1;
    }
}
