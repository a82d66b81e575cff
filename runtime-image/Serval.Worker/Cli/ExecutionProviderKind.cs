namespace Serval.Worker.Cli;

/// <summary>Where ONNX Runtime executes the model.</summary>
public enum ExecutionProviderKind
{
    /// <summary>CUDA when the GPU build runs on a machine with a usable device, otherwise the CPU.</summary>
    Auto,

    /// <summary>Always the CPU.</summary>
    Cpu,

    /// <summary>CUDA, or refuse to start.</summary>
    Cuda,
}
