namespace Serval.Worker.Cli;

/// <summary>The outcome of reading the command line: options to run with, help to print, or an error.</summary>
internal sealed record ParsedCommandLine(WorkerOptions? Options, bool ShowHelp, string? Error)
{
    public static ParsedCommandLine Run(WorkerOptions options) => new(options, false, null);

    public static ParsedCommandLine Help() => new(null, true, null);

    public static ParsedCommandLine Fail(string error) => new(null, false, error);
}
