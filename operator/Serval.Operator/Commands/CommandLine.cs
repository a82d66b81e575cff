namespace Serval.Operator.Commands;

/// <summary>
/// The `serval-operator` command line: `run` (default), `local`, `crds`.
/// Each command lives in its own file and owns its flags.
/// </summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: serval-operator [command] [flags]

        commands:
          run      run the operator against a cluster (kubeconfig or in-cluster); the default
                   flags: [--kubeconfig PATH] [--namespace NS] [--metrics-port N] [--leader-elect true|false]
                          [--leader-election-namespace NS] [--max-concurrent-reconciles N]
          local    run the whole system on this machine: embedded API server, operator, local controllers
                   flags: [--port N] [--state-dir DIR] [--apply FILE ...]
          crds     print the InferenceService CustomResourceDefinition as YAML
          help     print this text
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        switch (command)
        {
            case "crds":
                return CrdsCommand.Run(rest, Console.Out, Console.Error);
            case "local":
                return await LocalCommand.RunAsync(rest).ConfigureAwait(false);
            case "run":
                return await RunCommand.RunAsync(rest).ConfigureAwait(false);
            case "help" or "--help" or "-h":
                await Console.Out.WriteLineAsync(Usage).ConfigureAwait(false);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"serval-operator: unknown command \"{command}\"\n\n{Usage}").ConfigureAwait(false);
                return 2;
        }
    }
}
