using Serval.Bench.Worker;

return await WorkerBenchmark.RunAsync(args).ConfigureAwait(false);
