namespace Serval.Operator.Commands;

internal static class RunCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        _ = args;
        await Console.Error.WriteLineAsync("serval-operator run: the controller is not built yet").ConfigureAwait(false);
        return 1;
    }
}
