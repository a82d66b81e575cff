using System.Globalization;

namespace Serval.Bench.Worker;

/// <summary>
/// The worker benchmark, side by side in one run: (a) the overhead of serval-worker (the real executable,
/// over HTTP/JSON) over an in-process ONNX Runtime session and against a Node peer on onnxruntime-node,
/// MLP batch 1 at concurrency 1 and 64; (b) dynamic batching on MiniLM at concurrency 32 over max batch
/// sizes 1..32; (c) ResNet18 with JSON against the binary tensor extension. Prints a table, one
/// `BENCH worker &lt;case&gt; ...` line per case, and rewrites its part of tests/bench/RESULTS.md.
/// </summary>
internal static class WorkerBenchmark
{
    private const int MlpVariants = 8;
    private const int SequenceLength = 32;
    private const int BatchingConcurrency = 32;
    private const int ResNetConcurrency = 4;
    private static readonly int[] BatchSizes = [1, 2, 4, 8, 16, 32];

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = BenchSettings.Parse(args);
        var environment = BenchEnvironment.Discover();
        // The callers and the server's own threads share two cores: start with enough pool threads that ramp-up is not measured.
        ThreadPool.SetMinThreads(128, 128);
        var machine = BenchEnvironment.MachineDescription();
        Console.WriteLine($"serval-worker benchmark ({environment.Configuration}); {machine}");
        Console.WriteLine($"worker: {environment.WorkerExecutable} (a real process; the client is this process)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"each case: {settings.WarmUp.TotalSeconds:F0} s warm-up, {settings.Duration.TotalSeconds:F0} s measured, closed loop"));

        var report = new BenchReport(machine);
        var loadAtStart = BenchEnvironment.LoadAverage();
        if (settings.Runs("overhead"))
        {
            await OverheadAsync(environment, settings, report).ConfigureAwait(false);
        }

        if (settings.Runs("batching"))
        {
            await BatchingAsync(environment, settings, report).ConfigureAwait(false);
        }

        if (settings.Runs("resnet18"))
        {
            await ResNetAsync(settings, environment, report).ConfigureAwait(false);
        }

        report.Note($"1-minute load average {loadAtStart} at the start and {BenchEnvironment.LoadAverage()} at the end, on {Environment.ProcessorCount} cores: "
            + "anything above the core count means other processes competed with the servers and the client.");
        report.Print(Console.Out);
        if (settings.WriteResults && settings.Only is null)
        {
            report.WriteResults(environment);
        }

        return 0;
    }

    private static async Task OverheadAsync(BenchEnvironment environment, BenchSettings settings, BenchReport report)
    {
        Console.WriteLine();
        Console.WriteLine("(a) overhead: mlp.onnx, batch 1");
        long[] shape = [1, 16];
        var inputs = Enumerable.Range(0, MlpVariants).Select(MlpInput).ToArray();
        var bodies = inputs.Select(i => InferBody.Json([new TensorInput("input", shape, Floats: i)])).ToArray();
        using var session = new InProcessSession(environment.MlpModel);
        var expected = inputs.Select(i => session.Run(i, shape)).ToArray();

        var (nodeVersion, unavailable) = await NodePeer.PrepareAsync(environment.NodePeerDirectory).ConfigureAwait(false);
        if (unavailable is not null)
        {
            Console.WriteLine($"  Node peer unavailable: {unavailable}");
            report.Note($"The Node peer did not run: {unavailable}.");
        }
        else
        {
            report.Note($"Node peer: node {nodeVersion}, onnxruntime-node 1.30.0 (node-peer/server.js, one process, default session options).");
        }

        // Every server runs from the start, idle while another is measured, so that rounds can alternate.
        await using var worker = await WorkerProcesses.StartAsync(environment, settings, environment.MlpModel, "mlp").ConfigureAwait(false);
        await using var noBatching = await WorkerProcesses.StartAsync(environment, settings, environment.MlpModel, "mlp", "--max-batch-size", "1").ConfigureAwait(false);
        await using var peer = unavailable is null
            ? await NodePeer.StartAsync(environment.NodePeerDirectory, environment.MlpModel, "mlp").ConfigureAwait(false)
            : null;
        await using var compared = settings.CompareEnvironment.Count == 0
            ? null
            : await WorkerProcesses.StartAsync(environment, settings.WorkerEnvironment.Concat(settings.CompareEnvironment).ToDictionary(), environment.MlpModel, "mlp")
                .ConfigureAwait(false);
        using var comparedClient = compared is null ? null : new V2Client(compared.BaseAddress, "mlp", 64);
        using var workerClient = new V2Client(worker.BaseAddress, "mlp", 64);
        using var noBatchingClient = new V2Client(noBatching.BaseAddress, "mlp", 64);
        using var peerClient = peer is null ? null : new V2Client(peer.BaseAddress, "mlp", 64);
        await CheckAnswersAsync(workerClient, bodies, expected, "serval-worker").ConfigureAwait(false);
        await CheckAnswersAsync(noBatchingClient, bodies, expected, "serval-worker (max batch 1)").ConfigureAwait(false);
        if (peerClient is not null)
        {
            await CheckAnswersAsync(peerClient, bodies, expected, "Node peer").ConfigureAwait(false);
        }

        foreach (var concurrency in new[] { 1, 64 })
        {
            var cases = new List<(string Case, string Target, string Notes, Interleaved.Run Run)>
            {
                ($"inproc_c{concurrency}", "in-process ORT session", $"{concurrency} thread(s) calling Run",
                    (warmUp, duration) => Task.FromResult(ClosedLoop.RunThreads(concurrency, warmUp, duration, caller => session.Run(inputs[caller % MlpVariants], shape)))),
                ($"worker_c{concurrency}", "serval-worker HTTP/JSON", "default batching (max 16, 500 us)",
                    (warmUp, duration) => HttpLoopAsync(workerClient, concurrency, warmUp, duration, caller => bodies[caller % MlpVariants], 4096)),
            };
            if (comparedClient is not null)
            {
                cases.Add(($"worker_env_c{concurrency}", "serval-worker HTTP/JSON", string.Join(' ', settings.CompareEnvironment.Select(v => $"{v.Key}={v.Value}")),
                    (warmUp, duration) => HttpLoopAsync(comparedClient, concurrency, warmUp, duration, caller => bodies[caller % MlpVariants], 4096)));
            }

            if (concurrency > 1)
            {
                cases.Add(("worker_nobatch_c64", "serval-worker HTTP/JSON", "--max-batch-size 1",
                    (warmUp, duration) => HttpLoopAsync(noBatchingClient, concurrency, warmUp, duration, caller => bodies[caller % MlpVariants], 4096)));
            }

            if (peerClient is not null)
            {
                cases.Add(($"node_c{concurrency}", "Node peer HTTP/JSON", "onnxruntime-node, no batching",
                    (warmUp, duration) => HttpLoopAsync(peerClient, concurrency, warmUp, duration, caller => bodies[caller % MlpVariants], 4096)));
            }

            var before = await workerClient.BatchStatsAsync().ConfigureAwait(false);
            var measured = await Interleaved.RunAsync(cases.Select(c => c.Run).ToArray(), settings).ConfigureAwait(false);
            var batch = (await workerClient.BatchStatsAsync().ConfigureAwait(false)).MeanSince(before);
            for (var i = 0; i < cases.Count; i++)
            {
                var notes = cases[i].Case.StartsWith("worker_c", StringComparison.Ordinal)
                    ? string.Create(CultureInfo.InvariantCulture, $"{cases[i].Notes}; mean rows per session call {batch:F2}")
                    : cases[i].Notes;
                report.Add(Progress(new CaseResult("overhead", cases[i].Case, cases[i].Target, measured[i], notes)));
            }
        }
    }

    private static async Task BatchingAsync(BenchEnvironment environment, BenchSettings settings, BenchReport report)
    {
        Console.WriteLine();
        Console.WriteLine($"(b) batching: MiniLM, sequence length {SequenceLength}, concurrency {BatchingConcurrency}");
        var model = BenchEnvironment.MiniLmModel();
        var workers = new List<ServerProcess>();
        var clients = new List<V2Client>();
        try
        {
            foreach (var maxBatch in BatchSizes)
            {
                var size = maxBatch.ToString(CultureInfo.InvariantCulture);
                workers.Add(await WorkerProcesses.StartAsync(environment, settings, model, "minilm", "--max-batch-size", size, "--max-queue-length", "256")
                    .ConfigureAwait(false));
                clients.Add(new V2Client(workers[^1].BaseAddress, "minilm", BatchingConcurrency));
            }

            var bodies = MiniLmBodies(await clients[0].MetadataAsync().ConfigureAwait(false));
            var (reference, responseBytes) = await clients[0].InferOnceAsync(bodies[0]).ConfigureAwait(false);
            if (reference.Length % SequenceLength != 0 || reference.Any(float.IsNaN))
            {
                throw new InvalidOperationException($"MiniLM answered {reference.Length} values, not a multiple of the {SequenceLength} tokens sent");
            }

            foreach (var client in clients)
            {
                Compare(reference, (await client.InferOnceAsync(bodies[0]).ConfigureAwait(false)).Output, "MiniLM answer");
            }

            var before = new List<BatchStats>();
            foreach (var client in clients)
            {
                before.Add(await client.BatchStatsAsync().ConfigureAwait(false));
            }

            var measured = await Interleaved.RunAsync(
                clients.Select(client => (Interleaved.Run)((warmUp, duration) =>
                    HttpLoopAsync(client, BatchingConcurrency, warmUp, duration, caller => bodies[caller % bodies.Length], 64 * 1024))).ToArray(),
                settings).ConfigureAwait(false);
            for (var i = 0; i < BatchSizes.Length; i++)
            {
                var batch = (await clients[i].BatchStatsAsync().ConfigureAwait(false)).MeanSince(before[i]);
                report.Add(Progress(new CaseResult("batching", $"minilm_batch{BatchSizes[i]}_c{BatchingConcurrency}", "serval-worker HTTP/JSON", measured[i],
                    string.Create(CultureInfo.InvariantCulture, $"--max-batch-size {BatchSizes[i]}; mean rows per session call {batch:F1}; {responseBytes} B answers"))
                {
                    Extra = string.Create(CultureInfo.InvariantCulture, $" max_batch={BatchSizes[i]} mean_batch_rows={batch:F2}"),
                }));
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }

            foreach (var worker in workers)
            {
                await worker.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task ResNetAsync(BenchSettings settings, BenchEnvironment environment, BenchReport report)
    {
        Console.WriteLine();
        Console.WriteLine($"(c) ResNet18: JSON against the binary tensor extension, concurrency {ResNetConcurrency}");
        var model = BenchEnvironment.ResNet18Model();
        await using var worker = await WorkerProcesses.StartAsync(environment, settings, model, "resnet18").ConfigureAwait(false);
        using var client = new V2Client(worker.BaseAddress, "resnet18", ResNetConcurrency);
        var metadata = await client.MetadataAsync().ConfigureAwait(false);
        var input = metadata.Inputs[0];
        var shape = input.Shape.Select(d => d < 0 ? 1 : d).ToArray();
        var random = new Random(18);
        var pixels = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (var i = 0; i < pixels.Length; i++)
        {
            // Normalised image values, as a preprocessing step hands them over.
            pixels[i] = (float)((random.NextDouble() * 4.6) - 2.1);
        }

        TensorInput[] tensors = [new TensorInput(input.Name, shape, Floats: pixels)];
        var json = InferBody.Json(tensors);
        var binary = InferBody.Binary(tensors, [metadata.Outputs[0].Name]);
        var (fromJson, jsonAnswer) = await client.InferOnceAsync(json).ConfigureAwait(false);
        var (fromBinary, binaryAnswer) = await client.InferOnceAsync(binary).ConfigureAwait(false);
        Compare(fromJson, fromBinary, "ResNet18 binary answer against the JSON answer");

        var cases = new[] { ("json", json, jsonAnswer), ("binary", binary, binaryAnswer) };
        var measured = await Interleaved.RunAsync(
            cases.Select(c => (Interleaved.Run)((warmUp, duration) => HttpLoopAsync(client, ResNetConcurrency, warmUp, duration, _ => c.Item2, 64 * 1024))).ToArray(),
            settings).ConfigureAwait(false);
        for (var i = 0; i < cases.Length; i++)
        {
            var (name, body, answer) = cases[i];
            report.Add(Progress(new CaseResult("resnet18", $"resnet18_{name}", $"serval-worker HTTP/{(name == "json" ? "JSON" : "binary")}", measured[i],
                string.Create(CultureInfo.InvariantCulture, $"input [{string.Join(',', shape)}]; request {body.Bytes.Length} B, answer {answer} B"))
            {
                Extra = string.Create(CultureInfo.InvariantCulture, $" request_bytes={body.Bytes.Length} response_bytes={answer}"),
            }));
        }
    }

    private static Task<Measurement> HttpLoopAsync(
        V2Client client, int concurrency, TimeSpan warmUp, TimeSpan duration, Func<int, InferBody> body, int scratchBytes)
    {
        var scratch = Enumerable.Range(0, concurrency).Select(_ => new byte[scratchBytes]).ToArray();
        return ClosedLoop.RunAsync(concurrency, warmUp, duration, caller => client.InferAsync(body(caller), scratch[caller]));
    }

    /// <summary>Every target must compute what the in-process session computes before its speed means anything.</summary>
    private static async Task CheckAnswersAsync(V2Client client, InferBody[] bodies, float[][] expected, string target)
    {
        for (var i = 0; i < bodies.Length; i++)
        {
            var (output, _) = await client.InferOnceAsync(bodies[i]).ConfigureAwait(false);
            Compare(expected[i], output, $"{target} answer {i}");
        }
    }

    private static void Compare(float[] expected, float[] actual, string what)
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"{what}: {actual.Length} values, expected {expected.Length}");
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > 1e-4f * Math.Max(1f, Math.Abs(expected[i])))
            {
                throw new InvalidOperationException($"{what}: value {i} is {actual[i]}, expected {expected[i]}");
            }
        }
    }

    private static float[] MlpInput(int variant) =>
        Enumerable.Range(0, 16).Select(k => ((((variant * 7) + (k * 3)) % 17) - 8) / 8f).ToArray();

    /// <summary>Token ids of BERT's vocabulary: [CLS], words, [SEP]; a full attention mask; one segment.</summary>
    private static InferBody[] MiniLmBodies(ModelMetadata metadata)
    {
        return Enumerable.Range(0, 8).Select(variant =>
        {
            var random = new Random(variant);
            var tensors = metadata.Inputs.Select(input =>
            {
                if (input.Datatype != "INT64")
                {
                    throw new InvalidOperationException($"MiniLM input '{input.Name}' is {input.Datatype}; the benchmark sends INT64 token tensors");
                }

                var values = new long[SequenceLength];
                for (var t = 0; t < SequenceLength; t++)
                {
                    values[t] = input.Name.Contains("mask", StringComparison.Ordinal) ? 1
                        : input.Name.Contains("type", StringComparison.Ordinal) ? 0
                        : t == 0 ? 101 : t == SequenceLength - 1 ? 102 : random.Next(2000, 29000);
                }

                return new TensorInput(input.Name, [1, SequenceLength], Longs: values);
            }).ToArray();
            return InferBody.Json(tensors);
        }).ToArray();
    }

    private static CaseResult Progress(CaseResult result)
    {
        var m = result.Measurement;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {result.Case,-24} {m.RequestsPerSecond,9:F0} req/s  p50 {m.P50Microseconds / 1000,8:F3} ms  p95 {m.P95Microseconds / 1000,8:F3} ms  p99 {m.P99Microseconds / 1000,8:F3} ms"));
        return result;
    }
}
