namespace Serval.Operator.Commands;

internal static class LocalCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        _ = args;
        await Console.Error.WriteLineAsync("serval-operator local: the embedded API server is not built yet").ConfigureAwait(false);
        return 1;
    }
}
