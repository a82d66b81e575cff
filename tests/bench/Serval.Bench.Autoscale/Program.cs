using Serval.Bench.Autoscale;

return await AutoscaleBenchmark.RunAsync(args).ConfigureAwait(false);
