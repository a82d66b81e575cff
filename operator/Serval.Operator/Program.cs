using Serval.Operator.Commands;

return await CommandLine.RunAsync(args).ConfigureAwait(false);
