using Serval.Worker;
using Serval.Worker.Cli;
using Serval.Worker.Inference;

// Before anything opens a socket: .NET reads this once.
WorkerHost.PreferInlineSocketCompletions();

var environment = Environment.GetEnvironmentVariables()
    .Cast<System.Collections.DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);
var parsed = WorkerOptionsParser.Parse(args, environment);
if (parsed.ShowHelp)
{
    Console.Out.Write(WorkerOptionsParser.HelpText());
    return 0;
}

if (parsed.Options is not { } options)
{
    Console.Error.WriteLine($"serval-worker: {parsed.Error}");
    return 2;
}

WorkerHost host;
try
{
    host = await WorkerHost.StartAsync(options);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"serval-worker: {e.Message}");
    return 2;
}
catch (IOException e)
{
    Console.Error.WriteLine($"serval-worker: cannot listen on {options.Host}:{options.Port}: {e.Message}");
    return 1;
}

await using (host)
{
    try
    {
        // Runs until SIGTERM or Ctrl+C; the host drains requests in flight before this returns.
        await host.Completion;
        return 0;
    }
    catch (ModelLoadException)
    {
        // Already logged with the reason.
        return 1;
    }
}
