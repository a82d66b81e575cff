using Serval.Bench.ApiServer;

return await ApiServerBenchmark.RunAsync(args).ConfigureAwait(false);
