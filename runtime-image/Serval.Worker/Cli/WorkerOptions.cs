namespace Serval.Worker.Cli;

/// <summary>Everything <c>serval-worker</c> is configured with; the defaults are those of the command line.</summary>
public sealed record WorkerOptions
{
    /// <summary>Model location: a path, <c>file://</c>, <c>http(s)://</c>, or a directory holding the model.</summary>
    public required string Model { get; init; }

    /// <summary>Expected SHA-256 of the model file (hex); a mismatch refuses the model.</summary>
    public string? ModelSha256 { get; init; }

    /// <summary>File to load when <see cref="Model"/> is a directory holding more than one .onnx file.</summary>
    public string? ModelFile { get; init; }

    /// <summary>Served model name; defaults to the model file's name without its extension.</summary>
    public string? Name { get; init; }

    /// <summary>Address to listen on.</summary>
    public string Host { get; init; } = "0.0.0.0";

    /// <summary>Port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Most rows in one session call; 1 turns batching off.</summary>
    public int MaxBatchSize { get; init; } = 16;

    /// <summary>Longest a request waits for others to join its batch.</summary>
    public int MaxQueueDelayMicroseconds { get; init; } = 500;

    /// <summary>Requests queued before new ones are refused with 429.</summary>
    public int MaxQueueLength { get; init; } = 256;

    /// <summary>Session calls that may run at once (each takes the intra-op threads).</summary>
    public int Instances { get; init; } = 1;

    /// <summary>Execution provider choice.</summary>
    public ExecutionProviderKind ExecutionProvider { get; init; } = ExecutionProviderKind.Auto;

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (one per core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads running independent operators in parallel; 0 runs them in sequence.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>File holding the bearer token clients must send; null leaves the model open.</summary>
    public string? AuthTokenFile { get; init; }

    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxRequestBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest element count of one tensor.</summary>
    public long MaxTensorElements { get; init; } = 16L * 1024 * 1024;

    /// <summary>Longest a request may take from arrival to answer, in milliseconds; 0 for no limit.</summary>
    public int RequestTimeoutMilliseconds { get; init; } = 30_000;

    /// <summary>Longest a model download may take, in seconds.</summary>
    public int DownloadTimeoutSeconds { get; init; } = 600;

    /// <summary>How long shutdown waits for requests in flight, in seconds.</summary>
    public int ShutdownTimeoutSeconds { get; init; } = 25;
}
