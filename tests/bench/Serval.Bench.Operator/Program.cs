using Serval.Bench.Operator;

return await OperatorBenchmark.RunAsync(args).ConfigureAwait(false);
